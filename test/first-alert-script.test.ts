import { execFile } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.js';

/** The README's first-alert step: scripts/first-alert.mjs run as a newcomer runs it, against a listening server. */
let t: TestApp;
let admin: { userId: string; apiKey: string };
let url: string;

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.createAdmin();
  url = await t.app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(() => t.close());

/** Runs the script as its own process (asynchronously: the server answering it lives in this one). */
function firstAlert(args: string[], env: Record<string, string> = { KLAXON_API_KEY: admin.apiKey }) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      ['scripts/first-alert.mjs', '--url', url, ...args],
      { env: { PATH: process.env.PATH ?? '', ...env } },
      (error, stdout, stderr) => resolve({ code: error === null ? 0 : Number(error.code ?? 1), stdout, stderr }),
    );
  });
}

describe('scripts/first-alert.mjs', () => {
  it('creates the integration and sends a signed alert that is accepted', async () => {
    const run = await firstAlert([]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('Created the integration "first-alert"');
    const alertId = /\/alerts\/([0-9a-f-]{36})/.exec(run.stdout)?.[1];
    const alert = await t.request({ method: 'GET', url: `/api/alerts/${alertId}`, key: admin.apiKey });
    expect(alert.json()).toMatchObject({ title: 'My first Klaxon alert', integrationName: 'first-alert' });
    const list = await t.request({ method: 'GET', url: '/api/integrations', key: admin.apiKey });
    const [integration] = list.json().integrations;
    // The secret printed once is the one that verifies the sender (its prefix is all GET shows).
    expect(run.stdout).toContain(integration.secretPrefix.replace('...', ''));
    const deliveries = await t.request({
      method: 'GET',
      url: `/api/integrations/${integration.id}/deliveries`,
      key: admin.apiKey,
    });
    expect(deliveries.json().deliveries.map((d: { status: string }) => d.status)).toEqual(['accepted']);
  });

  it('stops with a clear message when the integration already exists, creating nothing', async () => {
    const run = await firstAlert([]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('An integration named "first-alert" already exists');
    expect(run.stderr).toContain('Send test alert');
    expect(run.stderr).toContain('--name first-alert-2');
    const list = await t.request({ method: 'GET', url: '/api/integrations', key: admin.apiKey });
    expect(list.json().integrations).toHaveLength(1);
    expect((await firstAlert(['--name', 'first-alert-2'])).code).toBe(0);
  });

  it('says where to get an API key when none is given, and when Klaxon refuses it', async () => {
    const missing = await firstAlert([], {});
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('Set KLAXON_API_KEY');
    const refused = await firstAlert([], { KLAXON_API_KEY: 'klx_not-a-key' });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('refused the API key');
  });
});
