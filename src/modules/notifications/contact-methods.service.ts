import type { Principal } from '../../core/principal.js';
import type { RuleUrgency } from '../../core/urgency.js';
import type { Database } from '../../db/client.js';
import { decryptSecret, encryptSecret, randomHex } from '../../lib/crypto.js';
import { AppError } from '../../lib/errors.js';
import { uuidv7 } from '../../lib/ids.js';
import { type OutboundGuard, OutboundUrlRefusedError } from '../../lib/outbound-guard.js';
import { decodeCursor, toPage } from '../../lib/pagination.js';
import type { Authz } from '../authz/authz.service.js';
import { toStandardWebhooksSecret } from '../webhooks/signatures/standard-webhooks.js';
import type { Channels } from './channels.js';
import type { NotificationsRepository } from './notifications.repository.js';
import { isPhoneType, type PhoneVerificationService } from './phone/phone-verification.service.js';

interface Owned {
  label?: string | null | undefined;
  userId?: string | undefined;
}

/** A contact method as people add it; what is stored is derived from it (`destinationOf`). */
export type NewContactMethod = Owned &
  (
    | { type: 'email' | 'slack' | 'webhook' | 'mattermost' | 'msteams' | 'sms' | 'voice'; address: string }
    | { type: 'ntfy'; topic: string; server?: string | undefined; accessToken?: string | undefined }
  );

/**
 * A person's contact methods, notification rules and notification log. Everyone manages their own;
 * platform admins anyone's. Someone else's items answer 404.
 */
export function createContactMethodsService(deps: {
  db: Database;
  repository: NotificationsRepository;
  channels: Channels;
  outboundGuard: Pick<OutboundGuard, 'checkUrl'>;
  authz: Pick<Authz, 'isSelfOrAdmin' | 'userExists'>;
  masterKey: Buffer;
  publicUrl: string;
  /** Phone numbers (sms, voice): validated, verified before they are paged. */
  phoneVerification?: Pick<PhoneVerificationService, 'normalize' | 'sendFirstCode'>;
  /** The provider's last status of each notification's SMS or call, for the log. */
  deliveryStatuses?: (
    notificationIds: string[],
  ) => Promise<Map<string, { provider: string; status: string; detail: string | null }>>;
  /** Server of ntfy topics given without one. */
  ntfyDefaultServer: string;
  now?: () => Date;
}) {
  const { db, repository, masterKey, authz } = deps;
  const now = deps.now ?? (() => new Date());

  const ownerOf = (actor: Principal, userId: string | undefined) => {
    const owner = userId ?? actor.userId;
    if (!authz.isSelfOrAdmin(actor, owner)) {
      throw new AppError('forbidden', "Only platform admins manage other people's notifications");
    }
    return owner;
  };

  async function ownMethod(actor: Principal, id: string) {
    const method = await repository.findContactMethod(db, id);
    if (method === undefined || !authz.isSelfOrAdmin(actor, method.userId)) {
      throw new AppError('contact-method-not-found', `No contact method with id ${id}`);
    }
    return method;
  }

  /** Chat and webhook URLs must lead to public addresses (SSRF); sends check again at connect time. */
  async function assertReachable(address: string) {
    try {
      await deps.outboundGuard.checkUrl(address);
    } catch (error) {
      if (!(error instanceof OutboundUrlRefusedError)) throw error;
      throw new AppError('outbound-url-refused', `The address ${error.message}`, {
        errors: [{ path: 'address', message: error.message }],
      });
    }
  }

  /** The stored address (and secret) of a new method; URLs must lead to public addresses. */
  async function destinationOf(input: NewContactMethod): Promise<{ address: string; secret?: string }> {
    switch (input.type) {
      case 'email':
        return { address: input.address };
      case 'sms':
      case 'voice': {
        if (deps.phoneVerification === undefined) {
          throw new AppError('bad-request', 'Phone contact methods are not available on this server');
        }
        return { address: deps.phoneVerification.normalize(input.address) };
      }
      case 'ntfy': {
        const address = `${(input.server ?? deps.ntfyDefaultServer).replace(/\/+$/, '')}/${input.topic}`;
        await assertReachable(address);
        return { address, ...(input.accessToken === undefined ? {} : { secret: input.accessToken }) };
      }
      default:
        await assertReachable(input.address);
        return { address: input.address };
    }
  }

  return {
    /**
     * Webhook methods get a Standard Webhooks signing secret, shown in this answer only. Phone
     * methods are stored unverified and sent a code at once (`verification` says how that went).
     */
    async create(actor: Principal, input: NewContactMethod) {
      const userId = ownerOf(actor, input.userId);
      // The owner is a stored reference: it must exist (an admin may name anyone).
      if (!(await authz.userExists(userId))) throw new AppError('user-not-found', `No user with id ${userId}`);
      const { address, secret } = await destinationOf(input);
      const signingSecret = input.type === 'webhook' ? toStandardWebhooksSecret(randomHex(32)) : undefined;
      const stored = signingSecret ?? secret;
      const method = await repository.insertContactMethod(db, {
        id: uuidv7(),
        userId,
        type: input.type,
        label: input.label ?? null,
        address,
        secretEncrypted: stored === undefined ? null : encryptSecret(masterKey, stored),
        createdAt: now(),
      });
      const phone = isPhoneType(input.type) ? deps.phoneVerification : undefined;
      const verification = phone === undefined ? undefined : await phone.sendFirstCode(method);
      return { method, signingSecret, verification };
    },

    list: (actor: Principal, userId?: string) => repository.listContactMethods(db, [ownerOf(actor, userId)]),

    async delete(actor: Principal, id: string) {
      await repository.deleteContactMethod(db, (await ownMethod(actor, id)).id);
    },

    /** "Send me a test notification": one delivery now, its outcome in the answer (not in the log). */
    async test(actor: Principal, id: string) {
      const method = await ownMethod(actor, id);
      if (isPhoneType(method.type) && method.verifiedAt === null) throw new AppError('phone-not-verified');
      return deps.channels.send(
        {
          type: method.type,
          address: method.address,
          secret: method.secretEncrypted === null ? null : decryptSecret(masterKey, method.secretEncrypted),
          messageId: uuidv7(),
        },
        {
          incidentId: '00000000-0000-0000-0000-000000000000',
          title: 'Test notification from Klaxon',
          severity: 'info',
          status: 'test',
          teamName: '-',
          alertCount: 0,
          consoleUrl: deps.publicUrl,
          acknowledgeUrl: null,
          resolveUrl: null,
          reason: 'You asked for a test notification',
        },
      );
    },

    async createRule(
      actor: Principal,
      input: { contactMethodId: string; delayMinutes: number; urgency?: RuleUrgency },
    ) {
      const method = await ownMethod(actor, input.contactMethodId);
      return repository.insertRule(db, {
        id: uuidv7(),
        userId: method.userId,
        contactMethodId: method.id,
        delayMinutes: input.delayMinutes,
        urgency: input.urgency ?? 'any',
        createdAt: now(),
      });
    },

    listRules: (actor: Principal, userId?: string) => repository.listRules(db, [ownerOf(actor, userId)]),

    async deleteRule(actor: Principal, id: string) {
      const rule = await repository.findRule(db, id);
      if (rule === undefined || !authz.isSelfOrAdmin(actor, rule.userId)) {
        throw new AppError('notification-rule-not-found', `No notification rule with id ${id}`);
      }
      await repository.deleteRule(db, id);
    },

    /** The notification log: each notification with its attempts, newest first. */
    async log(actor: Principal, query: { userId?: string | undefined; limit: number; cursor?: string | undefined }) {
      const rows = await repository.listOfPerson(db, {
        userId: ownerOf(actor, query.userId),
        beforeId: decodeCursor(query.cursor),
        limit: query.limit + 1,
      });
      const page = toPage(rows, query.limit);
      const ids = page.items.map((n) => n.id);
      const [attempts, statuses] = await Promise.all([
        repository.listAttempts(db, ids),
        deps.deliveryStatuses?.(ids) ?? new Map<string, never>(),
      ]);
      return {
        notifications: page.items.map((n) => ({
          ...n,
          attempts: attempts.filter((a) => a.notificationId === n.id),
          providerStatus: statuses.get(n.id) ?? null,
        })),
        nextCursor: page.nextCursor,
      };
    },
  };
}

export type ContactMethodsService = ReturnType<typeof createContactMethodsService>;
