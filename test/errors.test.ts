import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.js';

/** Every failure a client can see is RFC 9457 problem details, rendered in one place. */

const BODY_LIMIT = 1024;
const LEAKY_MESSAGE = 'duplicate key value violates unique constraint "secret_idx": INSERT INTO secret_table VALUES';

let t: TestApp;
let adminKey: string;

beforeAll(async () => {
  t = await createTestApp({
    bodyLimitBytes: BODY_LIMIT,
    extend: (app) => {
      app.get('/__test/boom', { config: { access: 'public' } }, async () => {
        throw new Error(LEAKY_MESSAGE);
      });
      app.get('/__test/boom-with-status', { config: { access: 'public' } }, async () => {
        throw Object.assign(new Error(LEAKY_MESSAGE), { statusCode: 502 });
      });
    },
  });
  adminKey = (await t.createAdmin()).apiKey;
});
afterAll(() => t.close());

function expectProblem(response: LightMyRequestResponse, status: number, slug: string, instance: string) {
  expect(response.statusCode, response.body).toBe(status);
  expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
  const body = response.json();
  expect(body).toMatchObject({ status, instance });
  expect(body.type).toMatch(/^https:\/\//);
  expect(body.type.endsWith(`/${slug}`)).toBe(true);
  expect(typeof body.title).toBe('string');
  expect(body.title.length).toBeGreaterThan(0);
  return body as { type: string; title: string; status: number; detail?: string; instance: string; errors?: unknown };
}

const postUsers = (payload: string, contentType: string) =>
  t.request({
    method: 'POST',
    url: '/api/users',
    key: adminKey,
    body: payload,
    headers: { 'content-type': contentType },
  });

describe('problem+json', () => {
  it('unknown route: 404 not-found, instance without the query string', async () => {
    const response = await t.request({ method: 'GET', url: '/no/such/route?token=abc' });
    const body = expectProblem(response, 404, 'not-found', '/no/such/route');
    expect(body.detail).toContain('/no/such/route');
    expect(response.body).not.toContain('token=abc');
  });

  it('unknown route under /api: 404, not 401', async () => {
    expectProblem(
      await t.request({ method: 'GET', url: '/api/no-such-thing' }),
      404,
      'not-found',
      '/api/no-such-thing',
    );
  });

  it('malformed JSON: 400 malformed-json', async () => {
    expectProblem(await postUsers('{"email": "a@b.c",', 'application/json'), 400, 'malformed-json', '/api/users');
  });

  it('an empty body with a JSON content type counts as no body: 400 validation-failed where one is required', async () => {
    const response = await postUsers('', 'application/json');
    expectProblem(response, 400, 'validation-failed', '/api/users');
    expect(response.json().errors).toEqual([{ path: '', message: expect.any(String) }]);
  });

  it('no body at all where one is required: 400 validation-failed', async () => {
    const response = await t.request({ method: 'POST', url: '/api/users', key: adminKey });
    expectProblem(response, 400, 'validation-failed', '/api/users');
  });

  it('a body over the limit: 413 payload-too-large', async () => {
    const payload = JSON.stringify({ email: 'big@example.com', name: 'x'.repeat(BODY_LIMIT) });
    expectProblem(await postUsers(payload, 'application/json'), 413, 'payload-too-large', '/api/users');
  });

  it.each([
    ['text/plain', '{"email":"plain@example.com"}'],
    ['application/x-www-form-urlencoded', 'email=form%40example.com'],
    ['application/xml', '<user><email>xml@example.com</email></user>'],
  ])('content type %s: 415 unsupported-media-type', async (contentType, payload) => {
    expectProblem(await postUsers(payload, contentType), 415, 'unsupported-media-type', '/api/users');
  });

  it('JSON with a charset parameter is accepted', async () => {
    const response = await postUsers('{"email":"charset@example.com"}', 'application/json; charset=utf-8');
    expect(response.statusCode, response.body).toBe(201);
  });

  it('validation error: 400 validation-failed with errors [{path, message}]', async () => {
    const response = await t.request({
      method: 'POST',
      url: '/api/users',
      key: adminKey,
      body: { email: 'not-an-email', name: '' },
    });
    const body = expectProblem(response, 400, 'validation-failed', '/api/users');
    expect(body.errors).toEqual(
      expect.arrayContaining([
        { path: 'email', message: expect.any(String) },
        { path: 'name', message: expect.any(String) },
      ]),
    );
  });

  it('unknown body field: 400 naming the field', async () => {
    const response = await t.request({
      method: 'POST',
      url: '/api/users',
      key: adminKey,
      body: { email: 'extra@example.com', isAdmin: true },
    });
    const body = expectProblem(response, 400, 'validation-failed', '/api/users');
    expect(body.errors).toEqual([{ path: 'isAdmin', message: 'unknown field' }]);
  });

  it('invalid query string and path parameters: 400 naming the parameter', async () => {
    const query = await t.request({ method: 'GET', url: '/api/audit-logs?limit=0', key: adminKey });
    expect(expectProblem(query, 400, 'validation-failed', '/api/audit-logs').errors).toEqual([
      { path: 'limit', message: expect.any(String) },
    ]);
    const unknownQuery = await t.request({ method: 'GET', url: '/api/audit-logs?colour=red', key: adminKey });
    expect(expectProblem(unknownQuery, 400, 'validation-failed', '/api/audit-logs').errors).toEqual([
      { path: 'colour', message: 'unknown field' },
    ]);
    const params = await t.request({ method: 'DELETE', url: '/api/api-keys/123', key: adminKey });
    expect(expectProblem(params, 400, 'validation-failed', '/api/api-keys/123').errors).toEqual([
      { path: 'id', message: expect.any(String) },
    ]);
  });

  it.each([['/__test/boom'], ['/__test/boom-with-status']])(
    'a route that throws (%s): 500 internal-error without stack or SQL; the log has both',
    async (url) => {
      const before = t.logs.length;
      const response = await t.request({ method: 'GET', url, headers: { 'x-request-id': 'trace-me-123' } });
      const body = expectProblem(response, 500, 'internal-error', url);
      expect(Object.keys(body).sort()).toEqual(['instance', 'status', 'title', 'type']);
      for (const leak of [
        'secret_table',
        'secret_idx',
        'INSERT INTO',
        'duplicate key',
        'at ',
        '.ts:',
        'node_modules',
      ]) {
        expect(response.body).not.toContain(leak);
      }
      expect(response.headers['x-request-id']).toBe('trace-me-123');

      const errorLines = t.logs
        .slice(before)
        .map(
          (line) => JSON.parse(line) as { level: number; reqId?: string; err?: { message?: string; stack?: string } },
        )
        .filter((line) => line.level >= 50);
      expect(errorLines).toHaveLength(1);
      expect(errorLines[0]?.reqId).toBe('trace-me-123');
      expect(errorLines[0]?.err?.message).toBe(LEAKY_MESSAGE);
      expect(errorLines[0]?.err?.stack).toContain('errors.test.ts');
    },
  );

  it('client errors are not logged as server errors', async () => {
    const before = t.logs.length;
    await postUsers('{', 'application/json');
    await t.request({ method: 'GET', url: '/api/users' });
    const levels = t.logs.slice(before).map((line) => (JSON.parse(line) as { level: number }).level);
    expect(levels.length).toBeGreaterThan(0);
    expect(levels.filter((level) => level >= 50)).toEqual([]);
  });

  it('a request id that is not sane is replaced by our own', async () => {
    const response = await t.request({
      method: 'GET',
      url: '/healthz',
      headers: { 'x-request-id': 'bad id\twith tab' },
    });
    expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});
