import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.js';
import { createIntegration, sendSigned } from './helpers/webhooks.js';

/**
 * Answers CONTRACT.md promises that a black-box client checks and that the area tests did not:
 * found by going through the contract line by line against the running server.
 */

let t: TestApp;
let adminKey: string;

beforeAll(async () => {
  t = await createTestApp();
  adminKey = (await t.createAdmin()).apiKey;
});
afterAll(() => t.close());

function expectProblem(
  response: { statusCode: number; headers: Record<string, unknown>; body: string },
  status: number,
  slug: string,
) {
  expect(response.statusCode, response.body).toBe(status);
  expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
  const body = JSON.parse(response.body) as {
    type: string;
    status: number;
    errors?: Array<{ path: string; message: string }>;
  };
  expect(body.type.endsWith(`/${slug}`)).toBe(true);
  expect(body.status).toBe(status);
  return body;
}

describe('bodyless API routes', () => {
  it('acknowledge and resolve refuse body fields with 400 validation-failed, and still take no body or {}', async () => {
    const integration = await createIntegration(t, adminKey, { name: 'audit-bodyless', type: 'generic' });
    const sent = await sendSigned(t, integration, { title: 'disk full', dedupKey: 'bodyless' });
    const alertId = sent.json().alerts[0].id as string;

    for (const action of ['acknowledge', 'resolve']) {
      const withField = await t.request({
        method: 'POST',
        url: `/api/alerts/${alertId}/${action}`,
        key: adminKey,
        body: { note: 'x' },
      });
      const problem = expectProblem(withField, 400, 'validation-failed');
      expect(problem.errors).toEqual([{ path: 'note', message: 'unknown field' }]);

      const withArray = await t.request({
        method: 'POST',
        url: `/api/alerts/${alertId}/${action}`,
        key: adminKey,
        body: '[1]',
        headers: { 'content-type': 'application/json' },
      });
      expectProblem(withArray, 400, 'validation-failed');
    }
    // Refused requests changed nothing.
    expect((await t.request({ method: 'GET', url: `/api/alerts/${alertId}`, key: adminKey })).json().status).toBe(
      'firing',
    );

    const empty = await t.request({
      method: 'POST',
      url: `/api/alerts/${alertId}/acknowledge`,
      key: adminKey,
      body: {},
    });
    expect(empty.statusCode, empty.body).toBe(200);
    const none = await t.request({ method: 'POST', url: `/api/alerts/${alertId}/resolve`, key: adminKey });
    expect(none.statusCode, none.body).toBe(200);
    expect(none.json().status).toBe('resolved');
  });

  it("take an empty body whatever content type it declares (curl -d '', fetch with body '')", async () => {
    const integration = await createIntegration(t, adminKey, { name: 'audit-empty-body', type: 'generic' });
    const sent = await sendSigned(t, integration, { title: 'cpu', dedupKey: 'empty-body' });
    const alertId = sent.json().alerts[0].id as string;
    const form = await t.request({
      method: 'POST',
      url: `/api/alerts/${alertId}/acknowledge`,
      key: adminKey,
      body: '',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(form.statusCode, form.body).toBe(200);
    expect(form.json().status).toBe('acknowledged');
    const text = await t.request({
      method: 'POST',
      url: `/api/alerts/${alertId}/resolve`,
      key: adminKey,
      body: '',
      headers: { 'content-type': 'text/plain;charset=UTF-8' },
    });
    expect(text.statusCode, text.body).toBe(200);
    expect(text.json().status).toBe('resolved');
    // A body that is there is still read by its type: text is not JSON.
    const notJson = await t.request({
      method: 'POST',
      url: `/api/alerts/${alertId}/resolve`,
      key: adminKey,
      body: 'resolve it',
      headers: { 'content-type': 'text/plain' },
    });
    expectProblem(notJson, 415, 'unsupported-media-type');
  });

  it('test-alert refuses body fields too', async () => {
    const integration = await createIntegration(t, adminKey, { name: 'audit-test-alert', type: 'generic' });
    const response = await t.request({
      method: 'POST',
      url: `/api/integrations/${integration.id}/test-alert`,
      key: adminKey,
      body: { title: 'x' },
    });
    expectProblem(response, 400, 'validation-failed');
  });
});

describe('a known path with a method it does not serve', () => {
  it('is a 405 problem with Allow, while an unknown path stays a 404', async () => {
    const put = await t.request({ method: 'PUT', url: '/api/integrations', key: adminKey });
    expectProblem(put, 405, 'method-not-allowed');
    expect(put.headers.allow).toBe('GET, HEAD, POST');

    const getWebhook = await t.request({ method: 'GET', url: '/webhooks/alerts/anything' });
    expectProblem(getWebhook, 405, 'method-not-allowed');
    expect(getWebhook.headers.allow).toBe('POST');

    const deleteAlert = await t.request({
      method: 'DELETE',
      url: '/api/alerts/00000000-0000-0000-0000-000000000000',
      key: adminKey,
    });
    expectProblem(deleteAlert, 405, 'method-not-allowed');
    expect(deleteAlert.headers.allow).toBe('GET, HEAD');

    expectProblem(await t.request({ method: 'GET', url: '/api/nothing-here', key: adminKey }), 404, 'not-found');
  });
});

describe('DELETE /api/integrations/:id', () => {
  it('leaves the deliveries readable at /api/integrations/:id/deliveries, newest first', async () => {
    const integration = await createIntegration(t, adminKey, { name: 'audit-deleted', type: 'generic' });
    const first = await sendSigned(t, integration, { title: 'one', dedupKey: 'a' });
    const second = await sendSigned(t, integration, { title: 'two', dedupKey: 'b' });
    expect(first.statusCode).toBe(202);
    expect(second.statusCode).toBe(202);

    const deleted = await t.request({ method: 'DELETE', url: `/api/integrations/${integration.id}`, key: adminKey });
    expect(deleted.statusCode).toBe(204);

    const deliveries = await t.request({
      method: 'GET',
      url: `/api/integrations/${integration.id}/deliveries`,
      key: adminKey,
    });
    expect(deliveries.statusCode, deliveries.body).toBe(200);
    expect(deliveries.json().deliveries.map((d: { id: string }) => d.id)).toEqual([
      second.json().deliveryId,
      first.json().deliveryId,
    ]);
    // An id that never was an integration is still unknown.
    const unknown = await t.request({
      method: 'GET',
      url: '/api/integrations/00000000-0000-4000-8000-000000000000/deliveries',
      key: adminKey,
    });
    expectProblem(unknown, 404, 'integration-not-found');
  });
});

describe('draining', () => {
  it('a request in flight when the app closes is answered with Connection: close, so a keep-alive client does not hold the exit', async () => {
    const draining = await createTestApp();
    const { apiKey } = await draining.createAdmin();
    await draining.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = draining.app.server.address() as AddressInfo;
    // An agent that would keep an idle connection open for as long as the server allows.
    const agent = new http.Agent({ keepAlive: true, keepAliveMsecs: 60_000 });
    try {
      const body = JSON.stringify({ email: 'drain@example.com' });
      const arrived = once(draining.app.server, 'request');
      let request: http.ClientRequest | undefined;
      const answered = new Promise<{ status: number; connection: string | undefined }>((resolve, reject) => {
        request = http.request(
          {
            host: '127.0.0.1',
            port,
            path: '/api/users',
            method: 'POST',
            agent,
            headers: {
              authorization: `Bearer ${apiKey}`,
              'content-type': 'application/json',
              'content-length': Buffer.byteLength(body),
            },
          },
          (response) => {
            response.resume();
            response.on('end', () =>
              resolve({ status: response.statusCode ?? 0, connection: response.headers.connection }),
            );
          },
        );
        request.on('error', reject);
        // Half the body now, the rest once the app is already closing.
        request.write(body.slice(0, 5));
      });
      await arrived;
      const closed = draining.app.close();
      request?.end(body.slice(5));

      expect(await answered).toEqual({ status: 201, connection: 'close' });
      // Waiting for the idle keep-alive connection would take the server's keep-alive timeout
      // (72 s), longer than this test may run: close() finishing at all shows it did not wait.
      await closed;
    } finally {
      agent.destroy();
      await draining.close();
    }
  });
});

describe('Authorization: Bearer', () => {
  it('takes the scheme in any case and one or more spaces before the key (RFC 9110 §11.4)', async () => {
    for (const header of [`Bearer ${adminKey}`, `bearer ${adminKey}`, `BEARER  ${adminKey}`]) {
      const response = await t.request({ method: 'GET', url: '/api/users', headers: { authorization: header } });
      expect(response.statusCode, header).toBe(200);
    }
    for (const header of [`Token ${adminKey}`, `Bearer${adminKey}`, `Bearer ${adminKey} extra`]) {
      expectProblem(
        await t.request({ method: 'GET', url: '/api/users', headers: { authorization: header } }),
        401,
        'unauthorized',
      );
    }
  });
});

describe('empty query parameters', () => {
  it('are read as not given, so the contract URL templates with empty filters work', async () => {
    await t.request({ method: 'GET', url: '/api/users', key: adminKey });
    const audit = await t.request({
      method: 'GET',
      url: '/api/audit-logs?action=&resourceType=&resourceId=&userId=&limit=&cursor=',
      key: adminKey,
    });
    expect(audit.statusCode, audit.body).toBe(200);
    expect(audit.json().entries.length).toBeGreaterThan(0);
    const alerts = await t.request({
      method: 'GET',
      url: '/api/alerts?status=&severity=&integrationId=&teamId=&limit=&cursor=',
      key: adminKey,
    });
    expect(alerts.statusCode, alerts.body).toBe(200);
    expect(alerts.json()).toHaveProperty('nextCursor');
    // A value that is present but wrong is still a 400.
    expectProblem(
      await t.request({ method: 'GET', url: '/api/alerts?limit=abc', key: adminKey }),
      400,
      'validation-failed',
    );
    expectProblem(
      await t.request({ method: 'GET', url: '/api/alerts?cursor=garbage', key: adminKey }),
      400,
      'validation-failed',
    );
  });
});
