import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOG_REDACT_PATHS, LOG_SERIALIZERS } from '../src/app.js';
import { loggerOptions } from '../src/logger.js';
import { createTestApp, type TestApp } from './helpers/app.js';

let t: TestApp;
let admin: { userId: string; apiKey: string };

beforeAll(async () => {
  t = await createTestApp({
    extend: (app) => {
      // Stands in for a future handler that logs more than it should: redaction must still hold.
      app.get('/__test/careless-log', { config: { access: 'public' } }, async (request) => {
        request.log.info({ req: { headers: request.headers } }, 'request headers');
        request.log.info({ created: { apiKey: 'klx_fake', key: 'klx_fake2', webhookSecret: 'whs' } }, 'result');
        return { ok: true };
      });
    },
  });
  admin = await t.createAdmin('ops-admin@example.com');
});
afterAll(() => t.close());

describe('health', () => {
  it('GET /healthz: 200 while the process is up', async () => {
    const response = await t.request({ method: 'GET', url: '/healthz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
  });

  it('GET /readyz: 200 with the database reachable', async () => {
    const response = await t.request({ method: 'GET', url: '/readyz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ready', database: 'ok' });
  });

  it('GET /readyz: 503 problem+json once the database is gone, while /healthz stays 200', async () => {
    const broken = await createTestApp();
    try {
      await broken.database.close();
      const response = await broken.request({ method: 'GET', url: '/readyz' });
      expect(response.statusCode, response.body).toBe(503);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.headers['retry-after']).toBe('5');
      expect(response.json()).toMatchObject({ status: 503, instance: '/readyz' });
      expect(response.json().type).toMatch(/\/service-unavailable$/);
      expect((await broken.request({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    } finally {
      await broken.app.close();
    }
  });
});

describe('API reference', () => {
  it('GET /openapi.json: an OpenAPI 3 document describing the API', async () => {
    const response = await t.request({ method: 'GET', url: '/openapi.json' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    const doc = response.json();
    expect(doc.openapi).toMatch(/^3\.\d+\.\d+$/);
    expect(doc.info).toMatchObject({ title: 'Klaxon API', version: expect.any(String) });
    expect(doc.components.securitySchemes.bearer).toEqual({ type: 'http', scheme: 'bearer' });
    expect(doc.paths['/api/users']).toHaveProperty('post');
    expect(doc.paths['/api/users']).toHaveProperty('get');
    expect(doc.paths['/api/api-keys']).toHaveProperty('post');
    expect(doc.paths['/api/api-keys/{id}']).toHaveProperty('delete');
    expect(doc.paths['/api/audit-logs']).toHaveProperty('get');
    // Each operation has responses; request bodies carry a JSON schema.
    for (const [path, operations] of Object.entries(doc.paths as Record<string, Record<string, unknown>>)) {
      for (const [method, operation] of Object.entries(operations)) {
        expect(operation, `${method} ${path}`).toHaveProperty('responses');
      }
    }
    expect(doc.paths['/api/users'].post.requestBody.content['application/json'].schema.properties).toHaveProperty(
      'email',
    );
  });

  it('documents every /api route the app registered', async () => {
    const doc = (await t.request({ method: 'GET', url: '/openapi.json' })).json();
    const documented = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(
      ([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
    );
    const registered = t.app.routeAccess
      .filter((route) => route.url.startsWith('/api/'))
      .map((route) => `${route.method} ${route.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`);
    expect(registered.length).toBeGreaterThan(0);
    expect(documented).toEqual(expect.arrayContaining(registered));
  });

  it('GET /docs: HTML that loads nothing from another host', async () => {
    const docs = await t.request({ method: 'GET', url: '/docs/' });
    expect(docs.statusCode).toBe(200);
    expect(docs.headers['content-type']).toMatch(/^text\/html/);
    const html = docs.body;
    expect(html).toContain('swagger-ui');
    expect(html.match(/https?:\/\/[^\s"'<>]+/g) ?? []).toEqual([]);

    const scripts = [...html.matchAll(/<script[^>]*\ssrc="([^"]+)"/g)].map((match) => match[1] ?? '');
    const styles = [...html.matchAll(/<link[^>]*\shref="([^"]+)"/g)].map((match) => match[1] ?? '');
    expect(scripts).toEqual(expect.arrayContaining([expect.stringContaining('swagger-initializer.js')]));
    for (const asset of [...scripts, ...styles]) {
      expect(asset, asset).not.toMatch(/^(https?:)?\/\//);
      const served = await t.request({ method: 'GET', url: new URL(asset, 'http://klaxon.local/docs/').pathname });
      expect(served.statusCode, asset).toBe(200);
    }

    const initializer = (await t.request({ method: 'GET', url: '/docs/static/swagger-initializer.js' })).body;
    // Comments may cite web pages; only code can make the browser fetch something.
    const code = initializer.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
    expect(code.match(/https?:\/\/[^\s"'`)]+/g) ?? []).toEqual([]);
    // Swagger UI posts the spec to validator.swagger.io unless told not to.
    expect(code).toMatch(/validatorUrl:\s*null/);
  });
});

describe('metrics', () => {
  it('GET /metrics: Prometheus text with request counts labelled by route pattern', async () => {
    await t.request({ method: 'GET', url: '/healthz' });
    await t.request({ method: 'GET', url: '/api/users', key: admin.apiKey });
    await t.request({ method: 'DELETE', url: '/api/api-keys/0190a5b2-0000-7000-8000-000000000000', key: admin.apiKey });
    const response = await t.request({ method: 'GET', url: '/metrics' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = response.body;
    expect(text).toContain('# TYPE klaxon_http_requests_total counter');
    expect(text).toMatch(/^klaxon_http_requests_total\{method="GET",route="\/healthz",status_code="200"\} [1-9]\d*$/m);
    expect(text).toMatch(/^klaxon_http_requests_total\{method="GET",route="\/api\/users",status_code="200"\} 1$/m);
    // The route pattern, not the raw URL, so ids do not explode label cardinality.
    expect(text).toMatch(/route="\/api\/api-keys\/:id",status_code="404"/);
    expect(text).not.toContain('0190a5b2-0000-7000-8000-000000000000');
    expect(text).toContain('# TYPE klaxon_http_request_duration_seconds histogram');
    expect(text).toMatch(/^klaxon_process_cpu_user_seconds_total /m);
  });
});

describe('logs', () => {
  it('never contain the Authorization header or an API key', async () => {
    const before = t.logs.length;
    const created = await t.request({ method: 'POST', url: '/api/api-keys', key: admin.apiKey, body: { name: 'log' } });
    const newKey = created.json().key as string;
    await t.request({ method: 'GET', url: '/api/users', key: newKey });
    await t.request({ method: 'GET', url: '/api/users', headers: { authorization: 'Bearer not-a-real-key-value' } });
    await t.request({ method: 'GET', url: '/__test/careless-log', key: admin.apiKey });
    const logged = t.logs.slice(before).join('\n');
    expect(logged).toContain('request headers');
    expect(logged).toContain('[redacted]');
    for (const secret of [admin.apiKey, newKey, 'not-a-real-key-value', 'klx_fake', 'whs"']) {
      expect(logged).not.toContain(secret);
    }
    expect(logged).not.toMatch(/Bearer/i);
  });

  it('the server logger uses the same redaction list and serializers as the tests', () => {
    expect(loggerOptions({ logLevel: 'warn' })).toEqual({
      level: 'warn',
      redact: { paths: LOG_REDACT_PATHS, censor: '[redacted]' },
      serializers: LOG_SERIALIZERS,
    });
    expect(LOG_REDACT_PATHS).toContain('req.headers.authorization');
  });
});
