import type { AlertIngestService } from '../alerts/alert-ingest.service.js';
import type { IntegrationsService } from '../integrations/integrations.service.js';
import { newDeliveryRecord } from '../webhooks/delivery-record.js';
import type { IntegrationThrottle } from '../webhooks/integration-throttle.js';
import type { RequestHeaders } from '../webhooks/signatures/types.js';
import { type StoredBody, storedBody } from '../webhooks/stored-body.js';
import { eventsV2Schema, normalizeEventsV2 } from './events-v2.normalize.js';

/** The answers PagerDuty's Events API gives, which its clients (Alertmanager, Grafana…) read. */
export type InvalidEventAnswer = { status: 400; body: { status: 'invalid event'; message: string; errors: string[] } };
export type EventsV2Answer =
  | { status: 202; body: { status: 'success'; message: 'Event processed'; dedup_key: string } }
  | InvalidEventAnswer
  | { status: 429; body: { status: 'throttle event'; message: string }; retryAfterSeconds: number };

export function invalidEvent(errors: string[], message = 'Event object is invalid'): InvalidEventAnswer {
  return { status: 400, body: { status: 'invalid event', message, errors } };
}

export function createEventsV2Service(deps: {
  integrationsService: Pick<IntegrationsService, 'resolveBySecret'>;
  alertIngestService: AlertIngestService;
  throttle: IntegrationThrottle;
  now?: () => Date;
}) {
  const { integrationsService, alertIngestService, throttle } = deps;
  const now = deps.now ?? (() => new Date());

  return {
    /**
     * Enqueues one event. The routing key selects the integration (looked up by its hash); the
     * request is then recorded as a delivery of that integration like any webhook, with the
     * routing key removed from the stored payload.
     */
    async enqueue(request: {
      body: unknown;
      sizeBytes: number;
      headers: RequestHeaders;
      sourceIp: string | null;
      startedAt: number;
    }): Promise<EventsV2Answer> {
      const routingKey = (request.body as { routing_key?: unknown } | null | undefined)?.routing_key;
      if (typeof routingKey !== 'string' || routingKey === '') {
        return invalidEvent(["'routing_key' is missing or blank"]);
      }
      const resolved = await integrationsService.resolveBySecret(routingKey);
      if (resolved === undefined) return invalidEvent(["'routing_key' is not the key of any integration"]);
      const { integration, secrets } = resolved;
      const delivery = newDeliveryRecord(integration, request, secrets, now());
      // The routing key authenticated the sender, so its body is kept (without the key, which is
      // the integration's secret), rejected or not; a rate-limited flood keeps none.
      const { routing_key: _key, ...withoutKey } = request.body as Record<string, unknown>;
      const body = storedBody(JSON.stringify(withoutKey), secrets, { sizeBytes: request.sizeBytes });
      const reject = async (answer: EventsV2Answer, reason: string, kept?: StoredBody) => {
        await alertIngestService.recordRejected({ ...delivery, ...kept }, answer.status, reason, request.startedAt);
        return answer;
      };

      if (!integration.isActive) {
        const answer = invalidEvent(["'routing_key' belongs to a disabled integration"]);
        return reject(answer, 'integration is disabled', body);
      }
      const parsed = eventsV2Schema.safeParse(request.body);
      if (!parsed.success) {
        const errors = parsed.error.issues.slice(0, 20).map((issue) => `'${issue.path.join('.')}' ${issue.message}`);
        return reject(invalidEvent(errors), `invalid event: ${errors[0] ?? 'unknown'}`, body);
      }
      const limit = throttle.take(integration);
      if (!limit.allowed) {
        return reject(
          {
            status: 429,
            body: {
              status: 'throttle event',
              message: 'Requests for this service are arriving too quickly. Please retry later.',
            },
            retryAfterSeconds: limit.retryAfterSeconds,
          },
          'over the integration rate limit',
        );
      }
      const alert = normalizeEventsV2(parsed.data);
      await alertIngestService.ingest(integration, [alert], { ...delivery, ...body }, request.startedAt);
      return { status: 202, body: { status: 'success', message: 'Event processed', dedup_key: alert.dedupKey } };
    },
  };
}

export type EventsV2Service = ReturnType<typeof createEventsV2Service>;
