import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices } from '../src/services.js';
import { createTestApp, type TestApp } from './helpers/app.js';

let t: TestApp;
let admin: { userId: string; apiKey: string };

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.createAdmin();
});
afterAll(() => t.close());

const SECRET_PATTERN = /^[0-9a-f]{64}$/;

async function create(body: Record<string, unknown>) {
  return t.request({ method: 'POST', url: '/api/integrations', key: admin.apiKey, body });
}

async function rows(query: ReturnType<typeof sql>) {
  const result = await t.database.db.execute(query);
  return (result as unknown as { rows: Array<Record<string, unknown>> }).rows;
}

describe('create', () => {
  it('returns the integration with a one-time 64-hex secret, webhook_url and warning', async () => {
    const response = await create({ name: 'prod-datadog', type: 'datadog' });
    expect(response.statusCode).toBe(201);
    const body = response.json();
    expect(body.webhookSecret).toMatch(SECRET_PATTERN);
    expect(body.webhook_url).toBe('/webhooks/alerts/prod-datadog');
    expect(body.warning).toMatch(/once/i);
    expect(body.secretPrefix).toBe(`${body.webhookSecret.slice(0, 8)}...`);
    expect(body).toMatchObject({
      name: 'prod-datadog',
      type: 'datadog',
      isActive: true,
      signatureScheme: 'hmac',
      alertCount: 0,
      webhookCount: 0,
    });
    expect(body).not.toHaveProperty('standardWebhooksSecret');
  });

  it.each([
    ['datadog', 'hmac', 'X-Datadog-Signature', 'sha256', 'hex', '', 15],
    ['newrelic', 'hmac', 'X-NewRelic-Signature', 'sha256', 'hex', '', 15],
    ['pagerduty', 'hmac', 'X-PagerDuty-Signature', 'sha256', 'base64', 'v1=', 10],
    ['generic', 'hmac', 'X-Webhook-Signature', 'sha256', 'hex', '', 15],
    ['alertmanager', 'token', 'Authorization', 'sha256', 'hex', 'Bearer ', 15],
    ['grafana', 'hmac', 'X-Grafana-Alerting-Signature', 'sha256', 'hex', '', 15],
  ])('applies the %s defaults', async (type, scheme, header, algorithm, format, prefix, window) => {
    const response = await create({ name: `defaults-${type}`, type });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({
      signatureScheme: scheme,
      signatureHeader: header,
      signatureAlgorithm: algorithm,
      signatureFormat: format,
      signaturePrefix: prefix,
      deduplicationWindowMinutes: window,
    });
  });

  it('merges explicit fields over the type defaults', async () => {
    const response = await create({
      name: 'custom-generic',
      type: 'generic',
      signatureHeader: 'X-Sig',
      signatureAlgorithm: 'sha512',
      signatureFormat: 'base64',
      signaturePrefix: 'sha512=',
      deduplicationWindowMinutes: 60,
      rateLimitPerMinute: 600,
    });
    expect(response.json()).toMatchObject({
      signatureHeader: 'X-Sig',
      signatureAlgorithm: 'sha512',
      signatureFormat: 'base64',
      signaturePrefix: 'sha512=',
      deduplicationWindowMinutes: 60,
      rateLimitPerMinute: 600,
    });
  });

  it('gives standard-webhooks integrations a whsec_ secret derived from the same key', async () => {
    const response = await create({ name: 'sw', type: 'generic', signatureScheme: 'standard-webhooks' });
    const body = response.json();
    expect(body.signatureHeader).toBe('webhook-signature');
    expect(body.standardWebhooksSecret).toBe(`whsec_${Buffer.from(body.webhookSecret).toString('base64')}`);
  });

  it.each([
    [{ name: 'Bad_Name', type: 'generic' }, 'name'],
    [{ name: '', type: 'generic' }, 'name'],
    [{ name: 'a'.repeat(101), type: 'generic' }, 'name'],
    [{ name: 'ok', type: 'splunk' }, 'type'],
    [{ name: 'ok', type: 'generic', signatureAlgorithm: 'md5' }, 'signatureAlgorithm'],
    [{ name: 'ok', type: 'generic', signatureFormat: 'base32' }, 'signatureFormat'],
    [{ name: 'ok', type: 'generic', signatureScheme: 'jwt' }, 'signatureScheme'],
    [{ name: 'ok', type: 'generic', signatureHeader: 'x'.repeat(101) }, 'signatureHeader'],
    [{ name: 'ok', type: 'generic', signaturePrefix: 'x'.repeat(51) }, 'signaturePrefix'],
    [{ name: 'ok', type: 'generic', deduplicationWindowMinutes: 0 }, 'deduplicationWindowMinutes'],
    [{ name: 'ok', type: 'generic', deduplicationWindowMinutes: 1441 }, 'deduplicationWindowMinutes'],
    [{ name: 'ok', type: 'generic', deduplicationWindowMinutes: 1.5 }, 'deduplicationWindowMinutes'],
    [{ name: 'ok', type: 'generic', webhookSecret: 'mine' }, 'webhookSecret'],
    [{ type: 'generic' }, 'name'],
  ])('rejects %j with a validation error on %s', async (body, path) => {
    const response = await create(body);
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(response.json().type).toMatch(/validation-failed$/);
    expect(response.json().errors.map((e: { path: string }) => e.path)).toContain(path);
  });

  it('answers 409 duplicate-integration for a taken name', async () => {
    await create({ name: 'taken', type: 'generic' });
    const again = await create({ name: 'taken', type: 'datadog' });
    expect(again.statusCode).toBe(409);
    expect(again.json().type).toMatch(/duplicate-integration$/);
  });

  it('concurrent creates of one name give exactly one 201 and the rest 409', async () => {
    const responses = await Promise.all(Array.from({ length: 8 }, () => create({ name: 'race', type: 'generic' })));
    const codes = responses.map((r) => r.statusCode).sort();
    expect(codes).toEqual([201, 409, 409, 409, 409, 409, 409, 409]);
  });

  it('stores the secret encrypted: the raw row holds no plaintext', async () => {
    const response = await create({ name: 'at-rest', type: 'generic' });
    const { id, webhookSecret } = response.json();
    const [row] = await rows(sql`select * from integrations where id = ${id}`);
    const raw = JSON.stringify(row);
    expect(raw).not.toContain(webhookSecret);
    expect(String(row?.secret_ciphertext)).toMatch(/^v1:/);
    const resolved = await t.services.integrationsService.resolveByName('at-rest');
    expect(resolved?.secrets).toEqual([webhookSecret]);
  });
});

describe('read, update, delete', () => {
  it('lists newest first with counts, and gets one by id; unknown ids are 404', async () => {
    const first = (await create({ name: 'list-a', type: 'generic' })).json();
    const second = (await create({ name: 'list-b', type: 'generic' })).json();
    const list = await t.request({ method: 'GET', url: '/api/integrations', key: admin.apiKey });
    const names = list.json().integrations.map((i: { name: string }) => i.name);
    expect(names.indexOf('list-b')).toBeLessThan(names.indexOf('list-a'));
    expect(list.json().integrations[0]).toHaveProperty('alertCount');
    expect(list.json().integrations[0]).toHaveProperty('webhookCount');

    const one = await t.request({ method: 'GET', url: `/api/integrations/${first.id}`, key: admin.apiKey });
    expect(one.statusCode).toBe(200);
    expect(one.json()).toMatchObject({ id: first.id, name: 'list-a', secretPrefix: first.secretPrefix });
    expect(second.id).not.toBe(first.id);

    const missing = await t.request({
      method: 'GET',
      url: '/api/integrations/01900000-0000-7000-8000-000000000000',
      key: admin.apiKey,
    });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().type).toMatch(/integration-not-found$/);
    const notUuid = await t.request({ method: 'GET', url: '/api/integrations/abc', key: admin.apiKey });
    expect(notUuid.statusCode).toBe(400);
  });

  it('patches fields, disables, and audits the changed fields', async () => {
    const { id } = (await create({ name: 'patch-me', type: 'generic' })).json();
    const patched = await t.request({
      method: 'PATCH',
      url: `/api/integrations/${id}`,
      key: admin.apiKey,
      body: { name: 'patched', isActive: false, deduplicationWindowMinutes: 30, signatureScheme: 'token' },
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({
      name: 'patched',
      isActive: false,
      deduplicationWindowMinutes: 30,
      signatureScheme: 'token',
    });
    const audit = await t.request({
      method: 'GET',
      url: `/api/audit-logs?action=integration.updated&resourceId=${id}`,
      key: admin.apiKey,
    });
    const [entry] = audit.json().entries;
    expect(entry.severity).toBe('INFO');
    expect(entry.metadata.changes.name).toEqual({ from: 'patch-me', to: 'patched' });
    expect(entry.metadata.changes.isActive).toEqual({ from: true, to: false });
  });

  it.each([
    [{ type: 'datadog' }, 'type'],
    [{ webhookSecret: 'x' }, 'webhookSecret'],
    [{ unknown: 1 }, 'unknown'],
    [{ name: 'UPPER' }, 'name'],
    [{ deduplicationWindowMinutes: 2000 }, 'deduplicationWindowMinutes'],
  ])('PATCH rejects %j', async (body, path) => {
    const { id } = (await create({ name: `patch-bad-${path.toLowerCase()}`, type: 'generic' })).json();
    const response = await t.request({ method: 'PATCH', url: `/api/integrations/${id}`, key: admin.apiKey, body });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors.map((e: { path: string }) => e.path)).toContain(path);
  });

  it('PATCH to a taken name is 409 and an unknown id is 404', async () => {
    await create({ name: 'rename-target', type: 'generic' });
    const { id } = (await create({ name: 'rename-source', type: 'generic' })).json();
    const clash = await t.request({
      method: 'PATCH',
      url: `/api/integrations/${id}`,
      key: admin.apiKey,
      body: { name: 'rename-target' },
    });
    expect(clash.statusCode).toBe(409);
    const missing = await t.request({
      method: 'PATCH',
      url: '/api/integrations/01900000-0000-7000-8000-000000000000',
      key: admin.apiKey,
      body: { isActive: false },
    });
    expect(missing.statusCode).toBe(404);
  });

  it('deletes with 204, then 404; the deletion is audited', async () => {
    const { id } = (await create({ name: 'delete-me', type: 'generic' })).json();
    const deleted = await t.request({ method: 'DELETE', url: `/api/integrations/${id}`, key: admin.apiKey });
    expect(deleted.statusCode).toBe(204);
    const again = await t.request({ method: 'DELETE', url: `/api/integrations/${id}`, key: admin.apiKey });
    expect(again.statusCode).toBe(404);
    const audit = await t.request({
      method: 'GET',
      url: `/api/audit-logs?action=integration.deleted&resourceId=${id}`,
      key: admin.apiKey,
    });
    expect(audit.json().entries[0]).toMatchObject({ severity: 'HIGH', metadata: { name: 'delete-me' } });
  });
});

describe('rotate-secret', () => {
  it('issues a new secret; without grace the old one stops verifying at once', async () => {
    const created = (await create({ name: 'rotate-now', type: 'generic' })).json();
    const rotated = await t.request({
      method: 'POST',
      url: `/api/integrations/${created.id}/rotate-secret`,
      key: admin.apiKey,
    });
    expect(rotated.statusCode).toBe(200);
    const body = rotated.json();
    expect(body.webhookSecret).toMatch(SECRET_PATTERN);
    expect(body.webhookSecret).not.toBe(created.webhookSecret);
    expect(body.warning).toMatch(/once/i);
    expect(body.secretPrefix).toBe(`${body.webhookSecret.slice(0, 8)}...`);
    const resolved = await t.services.integrationsService.resolveByName('rotate-now');
    expect(resolved?.secrets).toEqual([body.webhookSecret]);
    expect(await t.services.integrationsService.resolveBySecret(created.webhookSecret)).toBeUndefined();
    expect((await t.services.integrationsService.resolveBySecret(body.webhookSecret))?.integration.id).toBe(created.id);
  });

  it('with a grace period the old secret keeps verifying until it expires', async () => {
    let clock = new Date('2026-01-01T00:00:00Z');
    const clocked = await createTestApp({ now: () => clock });
    try {
      const owner = await clocked.createAdmin();
      const created = (
        await clocked.request({
          method: 'POST',
          url: '/api/integrations',
          key: owner.apiKey,
          body: { name: 'grace', type: 'generic' },
        })
      ).json();
      const rotated = (
        await clocked.request({
          method: 'POST',
          url: `/api/integrations/${created.id}/rotate-secret`,
          key: owner.apiKey,
          body: { gracePeriodMinutes: 60 },
        })
      ).json();
      const service = clocked.services.integrationsService;
      expect((await service.resolveByName('grace'))?.secrets).toEqual([rotated.webhookSecret, created.webhookSecret]);
      expect((await service.resolveBySecret(created.webhookSecret))?.integration.id).toBe(created.id);

      clock = new Date('2026-01-01T00:59:59Z');
      expect((await service.resolveByName('grace'))?.secrets).toHaveLength(2);

      clock = new Date('2026-01-01T01:00:01Z');
      expect((await service.resolveByName('grace'))?.secrets).toEqual([rotated.webhookSecret]);
      expect(await service.resolveBySecret(created.webhookSecret)).toBeUndefined();
    } finally {
      await clocked.close();
    }
  });

  it('validates the grace period and answers 404 for unknown integrations', async () => {
    const { id } = (await create({ name: 'rotate-bad', type: 'generic' })).json();
    for (const gracePeriodMinutes of [-1, 10_081, 1.5, 'soon']) {
      const response = await t.request({
        method: 'POST',
        url: `/api/integrations/${id}/rotate-secret`,
        key: admin.apiKey,
        body: { gracePeriodMinutes },
      });
      expect(response.statusCode).toBe(400);
    }
    const missing = await t.request({
      method: 'POST',
      url: '/api/integrations/01900000-0000-7000-8000-000000000000/rotate-secret',
      key: admin.apiKey,
      body: {},
    });
    expect(missing.statusCode).toBe(404);
  });

  it('accepts a bodyless POST sent with a JSON content type', async () => {
    const { id } = (await create({ name: 'rotate-empty', type: 'generic' })).json();
    const response = await t.request({
      method: 'POST',
      url: `/api/integrations/${id}/rotate-secret`,
      key: admin.apiKey,
      headers: { 'content-type': 'application/json' },
    });
    expect(response.statusCode).toBe(200);
  });
});

describe('secrets never leak', () => {
  it('no secret appears outside its create/rotate response: not in other responses, logs or audit rows', async () => {
    const created = (await create({ name: 'leak-check', type: 'generic' })).json();
    const rotated = (
      await t.request({
        method: 'POST',
        url: `/api/integrations/${created.id}/rotate-secret`,
        key: admin.apiKey,
        body: { gracePeriodMinutes: 5 },
      })
    ).json();
    await t.request({
      method: 'PATCH',
      url: `/api/integrations/${created.id}`,
      key: admin.apiKey,
      body: { isActive: false },
    });
    await t.request({ method: 'GET', url: '/api/integrations', key: admin.apiKey });
    await t.request({ method: 'GET', url: `/api/integrations/${created.id}`, key: admin.apiKey });
    await t.request({ method: 'GET', url: '/api/audit-logs?limit=200', key: admin.apiKey });

    const secrets = [created.webhookSecret, rotated.webhookSecret];
    const disclosing = new Set([created.webhookSecret, rotated.webhookSecret]);
    for (const response of t.responses) {
      const body = response.body;
      const allowed = secrets.filter((s) => body.includes(`"webhookSecret":"${s}"`));
      for (const secret of secrets) {
        if (allowed.includes(secret)) continue;
        expect(body).not.toContain(secret);
        expect(JSON.stringify(response.headers)).not.toContain(secret);
      }
    }
    expect(disclosing.size).toBe(2);
    for (const line of t.logs) for (const secret of secrets) expect(line).not.toContain(secret);
    const auditRows = await rows(sql`select * from audit_logs`);
    for (const secret of secrets) expect(JSON.stringify(auditRows)).not.toContain(secret);
    const integrationRows = await rows(sql`select * from integrations`);
    for (const secret of secrets) expect(JSON.stringify(integrationRows)).not.toContain(secret);
  });
});

describe('audit', () => {
  it('records created HIGH, secret_rotated HIGH with the acting user', async () => {
    const { id } = (await create({ name: 'audited', type: 'grafana' })).json();
    await t.request({ method: 'POST', url: `/api/integrations/${id}/rotate-secret`, key: admin.apiKey });
    const audit = await t.request({
      method: 'GET',
      url: `/api/audit-logs?resourceType=integration&resourceId=${id}`,
      key: admin.apiKey,
    });
    const entries = audit.json().entries as Array<{ action: string; severity: string; userId: string }>;
    expect(entries.map((e) => [e.action, e.severity])).toEqual([
      ['integration.secret_rotated', 'HIGH'],
      ['integration.created', 'HIGH'],
    ]);
    expect(entries.every((e) => e.userId === admin.userId)).toBe(true);
  });
});

describe('master key rotation', () => {
  it('re-encrypts every secret (current and in-grace previous) so they open under the new key only', async () => {
    const own = await createTestApp();
    try {
      const owner = await own.createAdmin();
      const post = (url: string, body: unknown) => own.request({ method: 'POST', url, key: owner.apiKey, body });
      const created = (await post('/api/integrations', { name: 'rekeyed', type: 'generic' })).json();
      const rotated = (await post(`/api/integrations/${created.id}/rotate-secret`, { gracePeriodMinutes: 30 })).json();
      const newKey = randomBytes(32);
      expect(await own.services.integrationsService.reencryptSecrets(newKey)).toBe(1);

      const underNewKey = createServices({ database: own.database, masterKey: newKey });
      expect((await underNewKey.integrationsService.resolveByName('rekeyed'))?.secrets).toEqual([
        rotated.webhookSecret,
        created.webhookSecret,
      ]);
      await expect(own.services.integrationsService.resolveByName('rekeyed')).rejects.toThrow();
    } finally {
      await own.close();
    }
  });
});
