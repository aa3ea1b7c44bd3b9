import type { FastifyInstance } from 'fastify';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

export interface MetricSources {
  /** Live-update (SSE) streams open now: they never reach onResponse until they end, so they are counted apart. */
  openLiveUpdateStreams(): number;
}

/** Prometheus metrics on a registry of this app's own, so several apps in one process stay apart. */
export function registerMetrics(app: FastifyInstance, sources: MetricSources): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'klaxon_' });
  new Gauge({
    name: 'klaxon_live_update_streams',
    help: 'Server-Sent Events streams (GET /api/events/stream) open in this process',
    registers: [registry],
    collect() {
      this.set(sources.openLiveUpdateStreams());
    },
  });
  const requests = new Counter({
    name: 'klaxon_http_requests_total',
    help: 'HTTP requests by method, route and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    registers: [registry],
  });
  const durations = new Histogram({
    name: 'klaxon_http_request_duration_seconds',
    help: 'HTTP request duration by method, route and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });

  app.addHook('onResponse', async (request, reply) => {
    // The route pattern, not the raw URL, keeps label cardinality bounded.
    const labels = {
      method: request.method,
      route: request.routeOptions.url ?? 'unmatched',
      status_code: String(reply.statusCode),
    };
    requests.inc(labels);
    durations.observe(labels, reply.elapsedTime / 1000);
  });

  return registry;
}
