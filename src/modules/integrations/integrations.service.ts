import type { IntegrationType } from '../../core/integrations.js';
import type { Executor } from '../../db/client.js';
import type { IntegrationRow } from '../../db/schema/index.js';
import type { WatchedCache } from '../../db/watched-cache.js';
import { AppError } from '../../lib/errors.js';
import { uuidv7 } from '../../lib/ids.js';
import type { AuditService } from '../audit/audit.service.js';
import { resolveSignatureSettings, type SignatureSettings } from './integration-defaults.js';
import { generateWebhookSecret, hashSecret, openSecret, sealSecret } from './integration-secret.js';
import type { IntegrationChanges, IntegrationsRepository } from './integrations.repository.js';
import { INTEGRATION_NAME_PATTERN } from './integrations.schema.js';

export interface CreateIntegrationInput extends Partial<SignatureSettings> {
  name: string;
  type: IntegrationType;
  rateLimitPerMinute?: number | undefined;
  defaultTeamId?: string | null | undefined;
}

export interface UpdateIntegrationInput extends Partial<SignatureSettings> {
  name?: string | undefined;
  rateLimitPerMinute?: number | null | undefined;
  isActive?: boolean | undefined;
  defaultTeamId?: string | null | undefined;
}

/** An integration with its plaintext secrets, for verifying one request. Never leaves the process. */
export interface ResolvedIntegration {
  integration: IntegrationRow;
  /** The current secret first, then the previous one while its grace period lasts. */
  secrets: string[];
}

/**
 * What the webhook path keeps per integration name: the row and its secrets already decrypted.
 * Whether the previous secret still verifies is decided at each use, as its grace period ends.
 */
export interface CachedIntegration {
  integration: IntegrationRow;
  secret: string;
  previousSecret: string | null;
}

const MINUTE_MS = 60_000;

export function createIntegrationsService(deps: {
  db: Executor;
  integrationsRepository: IntegrationsRepository;
  auditService: Pick<AuditService, 'record'>;
  masterKey: Buffer;
  /**
   * Integrations by name for the webhook path, dropped on every change (migration 0010's
   * trigger notifies other processes; this process drops its own after each commit).
   */
  cache?: WatchedCache<CachedIntegration>;
  now?: () => Date;
}) {
  const { db, integrationsRepository: repository, auditService, masterKey } = deps;
  const cache = deps.cache;
  const now = deps.now ?? (() => new Date());

  function notFound(id: string): AppError {
    return new AppError('integration-not-found', `No integration with id ${id}`);
  }

  function openSecrets(integration: IntegrationRow): CachedIntegration {
    return {
      integration,
      secret: openSecret(masterKey, integration.secretCiphertext),
      previousSecret:
        integration.previousSecretCiphertext === null
          ? null
          : openSecret(masterKey, integration.previousSecretCiphertext),
    };
  }

  function currentSecrets({ integration, secret, previousSecret }: CachedIntegration): ResolvedIntegration {
    const graceEnds = integration.previousSecretExpiresAt;
    const inGrace = previousSecret !== null && graceEnds !== null && graceEnds > now();
    return { integration, secrets: inGrace ? [secret, previousSecret] : [secret] };
  }

  /** A change this process committed applies to its very next request, before any notice arrives. */
  async function committed<T>(change: Promise<T>): Promise<T> {
    const result = await change;
    cache?.clear();
    return result;
  }

  return {
    async create(input: CreateIntegrationInput, actorId: string) {
      const { name, type, rateLimitPerMinute, defaultTeamId, ...requested } = input;
      const settings = resolveSignatureSettings(type, requested);
      const webhookSecret = generateWebhookSecret();
      const sealed = sealSecret(masterKey, webhookSecret);
      const integration = await committed(
        db.transaction(async (tx) => {
          const row = await repository.insert(tx, {
            id: uuidv7(),
            name,
            type,
            ...settings,
            rateLimitPerMinute: rateLimitPerMinute ?? null,
            defaultTeamId: defaultTeamId ?? null,
            isActive: true,
            secretCiphertext: sealed.ciphertext,
            secretHash: sealed.hash,
            secretPrefix: sealed.prefix,
            previousSecretCiphertext: null,
            previousSecretHash: null,
            previousSecretExpiresAt: null,
          });
          await auditService.record(tx, {
            action: 'integration.created',
            userId: actorId,
            resourceType: 'integration',
            resourceId: row.id,
            severity: 'HIGH',
            metadata: { name, type, signatureScheme: settings.signatureScheme, defaultTeamId: defaultTeamId ?? null },
          });
          return row;
        }),
      );
      return { integration, webhookSecret };
    },

    list() {
      return repository.listWithCounts(db);
    },

    async getById(id: string) {
      const found = await repository.findByIdWithCounts(db, id);
      if (found === undefined) throw notFound(id);
      return found;
    },

    async getByName(name: string): Promise<IntegrationRow | undefined> {
      return repository.findByName(db, name);
    },

    async update(id: string, input: UpdateIntegrationInput, actorId: string) {
      return await committed(
        db.transaction(async (tx) => {
          const existing = await repository.findByIdForUpdate(tx, id);
          if (existing === undefined) throw notFound(id);
          const changes: IntegrationChanges = {};
          const changed: Record<string, { from: unknown; to: unknown }> = {};
          for (const [field, value] of Object.entries(input) as Array<[keyof UpdateIntegrationInput, unknown]>) {
            if (value === undefined || existing[field] === value) continue;
            changed[field] = { from: existing[field], to: value };
            Object.assign(changes, { [field]: value });
          }
          if (Object.keys(changes).length === 0) return existing;
          const updated = await repository.update(tx, id, changes, now());
          await auditService.record(tx, {
            action: 'integration.updated',
            userId: actorId,
            resourceType: 'integration',
            resourceId: id,
            severity: 'INFO',
            metadata: { name: updated.name, changes: changed },
          });
          return updated;
        }),
      );
    },

    /**
     * Issues a new secret. With a grace period the old one keeps verifying until it ends;
     * without one it stops at once. A rotation during a grace period replaces the older secret.
     */
    async rotateSecret(id: string, gracePeriodMinutes: number, actorId: string) {
      const webhookSecret = generateWebhookSecret();
      const sealed = sealSecret(masterKey, webhookSecret);
      const at = now();
      const integration = await committed(
        db.transaction(async (tx) => {
          const existing = await repository.findByIdForUpdate(tx, id);
          if (existing === undefined) throw notFound(id);
          const graceEndsAt = gracePeriodMinutes > 0 ? new Date(at.getTime() + gracePeriodMinutes * MINUTE_MS) : null;
          const updated = await repository.update(
            tx,
            id,
            {
              secretCiphertext: sealed.ciphertext,
              secretHash: sealed.hash,
              secretPrefix: sealed.prefix,
              previousSecretCiphertext: graceEndsAt === null ? null : existing.secretCiphertext,
              previousSecretHash: graceEndsAt === null ? null : existing.secretHash,
              previousSecretExpiresAt: graceEndsAt,
            },
            at,
          );
          await auditService.record(tx, {
            action: 'integration.secret_rotated',
            userId: actorId,
            resourceType: 'integration',
            resourceId: id,
            severity: 'HIGH',
            metadata: {
              name: updated.name,
              gracePeriodMinutes,
              previousSecretValidUntil: graceEndsAt?.toISOString() ?? null,
            },
          });
          return updated;
        }),
      );
      return { integration, webhookSecret };
    },

    async delete(id: string, actorId: string): Promise<void> {
      await committed(
        db.transaction(async (tx) => {
          const existing = await repository.findByIdForUpdate(tx, id);
          if (existing === undefined) throw notFound(id);
          await repository.delete(tx, id);
          await auditService.record(tx, {
            action: 'integration.deleted',
            userId: actorId,
            resourceType: 'integration',
            resourceId: id,
            severity: 'HIGH',
            metadata: { name: existing.name, type: existing.type },
          });
        }),
      );
    },

    /** For the webhook path: the integration named in the URL, with the secrets that verify it now. */
    async resolveByName(name: string): Promise<ResolvedIntegration | undefined> {
      // A name no integration can have is unknown without asking the database, which would
      // refuse some of them (U+0000) with an error instead of "not found".
      if (!INTEGRATION_NAME_PATTERN.test(name)) return undefined;
      const read = async () => {
        const integration = await repository.findByName(db, name);
        return integration === undefined ? undefined : openSecrets(integration);
      };
      const cached = cache === undefined ? await read() : await cache.get(name, read);
      return cached === undefined ? undefined : currentSecrets(cached);
    },

    /** For the PagerDuty Events API: the integration whose secret is this routing key (lookup by hash). */
    async resolveBySecret(secret: string): Promise<ResolvedIntegration | undefined> {
      const integration = await repository.findBySecretHash(db, hashSecret(secret), now());
      return integration === undefined ? undefined : currentSecrets(openSecrets(integration));
    },

    /** Re-encrypts every stored secret under a new master key, in one transaction. Returns how many rows. */
    async reencryptSecrets(newMasterKey: Buffer): Promise<number> {
      return committed(
        db.transaction(async (tx) => {
          const rows = await repository.listAllSecrets(tx);
          for (const row of rows) {
            await repository.update(
              tx,
              row.id,
              {
                secretCiphertext: sealSecret(newMasterKey, openSecret(masterKey, row.secretCiphertext)).ciphertext,
                ...(row.previousSecretCiphertext === null
                  ? {}
                  : {
                      previousSecretCiphertext: sealSecret(
                        newMasterKey,
                        openSecret(masterKey, row.previousSecretCiphertext),
                      ).ciphertext,
                    }),
              },
              now(),
            );
          }
          return rows.length;
        }),
      );
    },
  };
}

export type IntegrationsService = ReturnType<typeof createIntegrationsService>;
