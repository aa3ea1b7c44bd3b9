import secureJson from 'secure-json-parse';
import { ZodError } from 'zod';
import type { DeliveryRecord } from '../../core/deliveries.js';
import type { IntegrationRow } from '../../db/schema/index.js';
import { AppError, type FieldError } from '../../lib/errors.js';
import { type AlertIngestService, DuplicateDeliveryError, type IngestedAlert } from '../alerts/alert-ingest.service.js';
import type { NormalizedAlert } from '../alerts/normalized-alert.js';
import { getSourceNormalizer } from '../alerts/sources/index.js';
import type { IntegrationsService } from '../integrations/integrations.service.js';
import { newDeliveryRecord } from './delivery-record.js';
import type { IntegrationThrottle } from './integration-throttle.js';
import { verifySignature } from './signatures/index.js';
import type { RequestHeaders } from './signatures/types.js';
import { toStorableJson } from './storable-json.js';
import { MAX_UNAUTHENTICATED_PAYLOAD_BYTES, type StoredBody, storedBody } from './stored-body.js';

export interface IncomingWebhook {
  name: string;
  headers: RequestHeaders;
  rawBody: Buffer;
  sourceIp: string | null;
  startedAt: number;
}

export type WebhookOutcome =
  | { kind: 'accepted'; deliveryId: string; alerts: IngestedAlert[] }
  | { kind: 'duplicate'; deliveryId: string; originalDeliveryId: string };

const JSON_MEDIA_TYPE = /^application\/([\w.+-]*\+)?json$/i;

/**
 * The webhook path, in the contract's order: integration exists (404) → active (403) →
 * signature (401) → content type (415) → JSON (400) → payload understood (400) → rate limit
 * (429) → store → 202. Every request naming an existing integration leaves a delivery row.
 */
export function createWebhookReceiver(deps: {
  integrationsService: Pick<IntegrationsService, 'resolveByName'>;
  alertIngestService: AlertIngestService;
  throttle: IntegrationThrottle;
  now?: () => Date;
}) {
  const { integrationsService, alertIngestService, throttle } = deps;
  const now = deps.now ?? (() => new Date());

  function deliveryFor(integration: IntegrationRow, incoming: IncomingWebhook, secrets: string[]): DeliveryRecord {
    return newDeliveryRecord(integration, incoming, secrets, now());
  }

  /** Records the rejection, keeping `body` when given (see stored-body.ts for which are kept), and throws. */
  async function reject(
    delivery: DeliveryRecord,
    error: AppError,
    reason: string,
    startedAt: number,
    body?: StoredBody,
  ): Promise<never> {
    await alertIngestService.recordRejected({ ...delivery, ...body }, error.status, reason, startedAt);
    throw error;
  }

  return {
    async receive(incoming: IncomingWebhook): Promise<WebhookOutcome> {
      const resolved = await integrationsService.resolveByName(incoming.name);
      if (resolved === undefined) {
        throw new AppError('integration-not-found', `No integration named "${incoming.name}"`);
      }
      const { integration, secrets } = resolved;
      const delivery = deliveryFor(integration, incoming, secrets);
      const { startedAt, rawBody } = incoming;
      const text = rawBody.toString('utf8');
      // The body as the delivery log keeps it: whole (up to the cap) once the sender is
      // authenticated, only a short prefix before. Rate-limited and replayed requests keep none:
      // a flood must not be stored body by body, and a replay's body is its original's.
      const body = (): StoredBody => storedBody(text, secrets, { sizeBytes: rawBody.length });
      const unauthenticatedBody = (): StoredBody =>
        storedBody(text, secrets, { sizeBytes: rawBody.length, maxBytes: MAX_UNAUTHENTICATED_PAYLOAD_BYTES });

      if (!integration.isActive) {
        const error = new AppError('integration-disabled', `The integration "${integration.name}" is disabled`);
        return reject(delivery, error, 'integration is disabled', startedAt, unauthenticatedBody());
      }

      const verdict = verifySignature(
        {
          scheme: integration.signatureScheme,
          header: integration.signatureHeader,
          algorithm: integration.signatureAlgorithm,
          format: integration.signatureFormat,
          prefix: integration.signaturePrefix,
        },
        { headers: incoming.headers, rawBody, secrets, now: now() },
      );
      if (!verdict.ok) {
        // One message for missing and wrong signatures; the precise reason goes to the delivery log.
        const error = new AppError('invalid-signature', 'The request signature is missing or does not match');
        return reject(delivery, error, verdict.reason, startedAt, unauthenticatedBody());
      }

      const contentType =
        String(incoming.headers['content-type'] ?? '')
          .split(';')[0]
          ?.trim() ?? '';
      if (!JSON_MEDIA_TYPE.test(contentType)) {
        const error = new AppError('unsupported-media-type', 'Send the alert as application/json');
        const reason = `content type "${contentType.slice(0, 100) || 'none'}" is not JSON`;
        return reject(delivery, error, reason, startedAt, body());
      }

      let payload: unknown;
      try {
        payload = secureJson.parse(text, undefined, {
          protoAction: 'remove',
          constructorAction: 'remove',
        });
      } catch {
        const error = new AppError('malformed-json', 'The body is not valid JSON');
        return reject(delivery, error, 'body is not valid JSON', startedAt, body());
      }
      const storable = toStorableJson(payload);
      if (!storable.ok) {
        const error = new AppError('invalid-payload', `The payload is not storable: ${storable.reason}`);
        return reject(delivery, error, storable.reason, startedAt, body());
      }
      payload = storable.value;

      let normalized: NormalizedAlert[];
      try {
        normalized = getSourceNormalizer(integration.type).normalize(payload);
      } catch (cause) {
        const errors = cause instanceof ZodError ? toFieldErrors(cause) : [];
        const detail = `The payload is not a valid ${integration.type} alert${errors[0] ? `: ${errors[0].path} ${errors[0].message}` : ''}`;
        const error = new AppError('invalid-payload', detail, { errors });
        return reject(delivery, error, detail, startedAt, body());
      }

      const limit = throttle.take(integration);
      if (!limit.allowed) {
        const error = new AppError('rate-limited', 'This integration is over its rate limit; retry later', {
          headers: { 'Retry-After': String(limit.retryAfterSeconds) },
        });
        return reject(delivery, error, 'over the integration rate limit', startedAt);
      }

      const accepted: DeliveryRecord = {
        ...delivery,
        ...body(),
        webhookId: verdict.webhookId ?? null,
      };
      try {
        const alerts = await alertIngestService.ingest(integration, normalized, accepted, startedAt, payload);
        return { kind: 'accepted', deliveryId: delivery.id, alerts };
      } catch (error) {
        if (!(error instanceof DuplicateDeliveryError) || verdict.webhookId === undefined) throw error;
        const original = await alertIngestService.findAcceptedByWebhookId(integration.id, verdict.webhookId);
        await alertIngestService.recordRejected(
          { ...delivery, httpStatus: 200 },
          200,
          `duplicate webhook-id; already processed as delivery ${original?.id ?? 'unknown'}`,
          startedAt,
        );
        return { kind: 'duplicate', deliveryId: delivery.id, originalDeliveryId: original?.id ?? delivery.id };
      }
    },

    /** Records a request that Fastify refused before the handler ran (e.g. 413), when it named an integration. */
    async recordEarlyRejection(incoming: Omit<IncomingWebhook, 'rawBody'>, error: AppError): Promise<void> {
      const resolved = await integrationsService.resolveByName(incoming.name);
      if (resolved === undefined) return;
      const delivery = deliveryFor(resolved.integration, { ...incoming, rawBody: Buffer.alloc(0) }, resolved.secrets);
      await alertIngestService.recordRejected(
        delivery,
        error.status,
        error.detail ?? error.message,
        incoming.startedAt,
      );
    },
  };
}

function toFieldErrors(error: ZodError): FieldError[] {
  return error.issues.slice(0, 20).map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
}

export type WebhookReceiver = ReturnType<typeof createWebhookReceiver>;
