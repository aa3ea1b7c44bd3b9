import type { IntegrationRow } from '../../db/schema/index.js';
import type { RateLimitDecision, RateLimiter } from '../../lib/rate-limiter.js';

/**
 * The per-integration rate limit shared by every way in (the webhook URL and the Events API):
 * the integration's own `rateLimitPerMinute`, or the server default when it sets none.
 */
export function createIntegrationThrottle(rateLimiter: RateLimiter, defaultPerMinute: number) {
  return {
    take(integration: Pick<IntegrationRow, 'id' | 'rateLimitPerMinute'>): RateLimitDecision {
      return rateLimiter.take(integration.id, integration.rateLimitPerMinute ?? defaultPerMinute);
    },
  };
}

export type IntegrationThrottle = ReturnType<typeof createIntegrationThrottle>;
