import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { expect, it, describe as suite } from 'vitest';
import { INTEGRATION_TYPES, SIGNATURE_SCHEMES } from '../src/core/integrations.js';
import { createTestApp } from './helpers/app.js';
import { hmacHex, standardWebhookHeaders } from './helpers/webhooks.js';

function describe(response: LightMyRequestResponse): string {
  const { method, url } = response.raw.req;
  return `${method} ${url} → ${response.statusCode}`;
}

/**
 * A realistic session, then a scan of everything it produced — every log line, every response
 * body and header, every audit row, every delivery row, every integration and API key row — for
 * every secret it handled: webhook secrets (and their whsec_ form), API keys, an invite link's
 * token, the master key.
 * Only the one response that hands a secret out may contain it.
 */
suite('secrets do not leak', () => {
  it('no webhook secret, API key or master key appears anywhere but the response that issued it', async () => {
    const t = await createTestApp();
    try {
      const secrets = new Map<string, string>(); // secret → where it was issued
      const issuing = new Set<LightMyRequestResponse>();
      const issue = (response: LightMyRequestResponse, ...values: Array<string | undefined>) => {
        issuing.add(response);
        for (const value of values) if (value !== undefined) secrets.set(value, describe(response));
      };

      const admin = await t.createAdmin('leak-admin@example.com');
      secrets.set(admin.apiKey, 'bootstrap');
      const user = await t.request({
        method: 'POST',
        url: '/api/users',
        key: admin.apiKey,
        body: { email: 'leak-user@example.com', name: 'Leaky' },
      });
      const userId = user.json().id as string;
      const userKey = await t.request({
        method: 'POST',
        url: '/api/api-keys',
        key: admin.apiKey,
        body: { name: 'u', userId },
      });
      issue(userKey, userKey.json().key);
      const ownKey = await t.request({
        method: 'POST',
        url: '/api/api-keys',
        key: userKey.json().key,
        body: { name: 'own' },
      });
      issue(ownKey, ownKey.json().key);

      // An invite link: its token is a credential until used, in the URL path of the public routes.
      const link = await t.request({ method: 'POST', url: `/api/users/${userId}/password-link`, key: admin.apiKey });
      const linkToken = new URL(link.json().url).hash.replace('#token=', '');
      issue(link, linkToken);
      await t.request({ method: 'GET', url: `/api/auth/password-links/${linkToken}` });
      const linkUsed = await t.request({
        method: 'POST',
        url: `/api/auth/password-links/${linkToken}`,
        body: { password: 'leak-user password' },
      });
      expect(linkUsed.statusCode).toBe(204);
      await t.request({ method: 'GET', url: `/api/auth/password-links/${linkToken}` }); // 410

      const integrations: Array<Record<string, string>> = [];
      for (const type of INTEGRATION_TYPES) {
        for (const scheme of SIGNATURE_SCHEMES) {
          const created = await t.request({
            method: 'POST',
            url: '/api/integrations',
            key: admin.apiKey,
            body: { name: `leak-${type}-${scheme}`, type, signatureScheme: scheme },
          });
          expect(created.statusCode, created.body).toBe(201);
          const body = created.json();
          issue(created, body.webhookSecret, body.standardWebhooksSecret);
          integrations.push(body);
        }
      }

      const send = (
        integration: Record<string, string>,
        secret: string,
        body: string,
        extra: Record<string, string> = {},
      ) => {
        const headers: Record<string, string> = {
          'content-type': 'application/json',
          'user-agent': 'leak-test',
          ...extra,
        };
        if (integration.signatureScheme === 'token') {
          headers[integration.signatureHeader as string] = `${integration.signaturePrefix}${secret}`;
        } else if (integration.signatureScheme === 'standard-webhooks') {
          Object.assign(headers, standardWebhookHeaders(secret, body, `msg_${randomUUID()}`));
        } else {
          const digest = hmacHex(secret, body, integration.signatureAlgorithm as 'sha256');
          headers[integration.signatureHeader as string] =
            `${integration.signaturePrefix}${integration.signatureFormat === 'base64' ? Buffer.from(digest, 'hex').toString('base64') : digest}`;
        }
        return t.request({ method: 'POST', url: `/webhooks/alerts/${integration.name}`, body, headers });
      };
      const generic = JSON.stringify({ title: 'Disk full', dedupKey: 'disk' });
      for (const integration of integrations) {
        const secret = integration.webhookSecret as string;
        const good = await send(integration, secret, generic);
        expect([202, 400]).toContain(good.statusCode); // 400: a generic body is not every type's payload
        await send(integration, 'f'.repeat(64), generic); // wrong secret
        await send(integration, secret, '{not json'); // malformed
        // A careless sender that also puts the secret where it does not belong.
        await send(integration, secret, generic, { 'x-debug-secret': secret, 'x-trace': `token=${secret}` });
        await t.request({
          method: 'POST',
          url: `/webhooks/alerts/${integration.name}`,
          body: generic,
          headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` },
        });
      }

      // Rotate (with and without grace), use old and new secrets, disable, delete.
      for (const [index, integration] of integrations.entries()) {
        const rotated = await t.request({
          method: 'POST',
          url: `/api/integrations/${integration.id}/rotate-secret`,
          key: admin.apiKey,
          body: { gracePeriodMinutes: index % 2 === 0 ? 60 : 0 },
        });
        expect(rotated.statusCode).toBe(200);
        issue(rotated, rotated.json().webhookSecret, rotated.json().standardWebhooksSecret);
        await send(integration, integration.webhookSecret as string, generic);
        await send(integration, rotated.json().webhookSecret, generic);
      }
      await t.request({
        method: 'PATCH',
        url: `/api/integrations/${integrations[0]?.id}`,
        key: admin.apiKey,
        body: { isActive: false },
      });
      await send(integrations[0] as Record<string, string>, integrations[0]?.webhookSecret as string, generic);
      await t.request({ method: 'DELETE', url: `/api/integrations/${integrations[1]?.id}`, key: admin.apiKey });

      // Read everything back the ways a client can.
      await t.request({ method: 'GET', url: '/api/integrations', key: admin.apiKey });
      for (const integration of integrations) {
        await t.request({ method: 'GET', url: `/api/integrations/${integration.id}`, key: admin.apiKey });
        await t.request({
          method: 'GET',
          url: `/api/integrations/${integration.id}/deliveries?limit=100`,
          key: admin.apiKey,
        });
      }
      await t.request({ method: 'GET', url: '/api/api-keys', key: admin.apiKey });
      await t.request({ method: 'GET', url: '/api/audit-logs?limit=200', key: admin.apiKey });
      await t.request({ method: 'GET', url: '/api/alerts?limit=200', key: admin.apiKey });
      await t.request({ method: 'GET', url: '/api/users', key: admin.apiKey });
      await t.request({ method: 'GET', url: '/metrics' });

      // Revoke keys; the revoked key is refused and refusals do not echo it.
      await t.request({ method: 'DELETE', url: `/api/api-keys/${ownKey.json().id}`, key: admin.apiKey });
      const revoked = await t.request({ method: 'GET', url: '/api/api-keys', key: ownKey.json().key });
      expect(revoked.statusCode).toBe(401);
      await t.request({ method: 'GET', url: '/api/users', key: userKey.json().key }); // 403
      await t.request({ method: 'GET', url: '/api/users', key: `${admin.apiKey}x` }); // unknown

      secrets.set(t.masterKey.toString('hex'), 'master key');
      secrets.set(t.masterKey.toString('base64'), 'master key (base64)');
      expect(secrets.size).toBeGreaterThan(INTEGRATION_TYPES.length * SIGNATURE_SCHEMES.length * 2);

      // ---- the scan ----
      const haystacks: Array<{ where: string; text: string }> = [];
      for (const [index, line] of t.logs.entries()) haystacks.push({ where: `log line ${index}`, text: line });
      for (const response of t.responses) {
        const where = describe(response);
        haystacks.push({ where: `${where} headers`, text: JSON.stringify(response.headers) });
        if (!issuing.has(response)) haystacks.push({ where: `${where} body`, text: response.body });
      }
      const db = t.database.db;
      const table = async (name: string) =>
        (await db.execute(sql.raw(`SELECT * FROM ${name}`))).rows.map((row, index) => ({
          where: `${name} row ${index}`,
          text: JSON.stringify(row),
        }));
      haystacks.push(
        ...(await table('audit_logs')),
        ...(await table('webhook_deliveries')),
        ...(await table('integrations')),
        ...(await table('api_keys')),
        ...(await table('users')),
        ...(await table('password_links')),
        ...(await table('alerts')),
      );

      // The scan can see a secret where one is: each issuing response does contain its secret.
      for (const response of issuing)
        expect([...secrets.keys()].some((secret) => response.body.includes(secret))).toBe(true);

      const leaks: string[] = [];
      for (const [secret, issuedBy] of secrets) {
        for (const { where, text } of haystacks) {
          if (text.includes(secret)) leaks.push(`${issuedBy} secret ${secret.slice(0, 6)}… found in ${where}`);
        }
      }
      console.info(
        `[secret-leak] ${secrets.size} secrets scanned for in ${haystacks.length} places ` +
          `(${t.logs.length} log lines, ${t.responses.length} responses, database rows); leaks ${leaks.length}`,
      );
      expect(leaks).toEqual([]);

      // The integration rows hold ciphertext, a hash and an 8-character prefix, never the secret.
      const rows = (await db.execute(sql`SELECT * FROM integrations`)).rows as Array<Record<string, unknown>>;
      for (const row of rows) {
        expect(String(row.secret_ciphertext)).toMatch(/^v1:[^:]+:[^:]+:[^:]+$/);
        expect(String(row.secret_prefix)).toMatch(/^[0-9a-f]{8}\.\.\.$/);
      }
    } finally {
      await t.close();
    }
  });
});
