import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { hmacHex } from '../helpers/webhooks.js';
import { createPersonWithPassword } from './helpers/api.js';
import {
  hasChromium,
  navLink,
  prepareConsole,
  screenshot,
  serveToBrowser,
  signIn as signInAt,
  E2E_TIMEOUT as TIMEOUT,
} from './helpers/browser.js';

/**
 * The console end to end, in a real headless Chromium (Debian's /usr/bin/chromium driven by
 * playwright-core) against a Klaxon listening on a loopback port. Screenshots of the main pages
 * go to docs/screenshots/.
 */
const ADMIN = { email: 'ops-lead@example.com', password: 'e2e admin password' };
const MEMBER = { email: 'member@example.com', password: 'e2e member password' };

let t: TestApp;
let base: string;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let secret = '';

const shot = (name: string, target: Page = page) => screenshot(target, name);
const signIn = (target: Page, user: { email: string; password: string }) => signInAt(target, base, user);

describe.skipIf(!hasChromium)('web console in headless Chromium', () => {
  beforeAll(async () => {
    prepareConsole();
    t = await createTestApp();
    await t.services.bootstrapAdminService.bootstrap({
      email: ADMIN.email,
      name: 'Ops Lead',
      password: ADMIN.password,
    });
    await createPersonWithPassword(t, MEMBER);
    ({ base, browser } = await serveToBrowser(t));
    context = await browser.newContext({ viewport: { width: 1280, height: 820 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
    context.setDefaultTimeout(30_000);
    page = await context.newPage();
  }, TIMEOUT);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('serves the console at / and client routes, never shadowing the API', async () => {
    const root = await fetch(`${base}/`);
    expect(root.headers.get('content-type')).toMatch(/text\/html/);
    expect(root.headers.get('content-security-policy')).toContain("default-src 'self'");
    const deep = await fetch(`${base}/integrations/123`, { headers: { accept: 'text/html' } });
    expect(deep.status).toBe(200);
    for (const path of ['/api/nope', '/webhooks/nope', '/v2/nope', '/metrics/nope', '/healthz/x']) {
      const response = await fetch(`${base}${path}`, { headers: { accept: 'text/html' } });
      expect(response.status, path).toBe(404);
      expect(response.headers.get('content-type'), path).toMatch(/application\/problem\+json/);
    }
    expect((await fetch(`${base}/openapi.json`)).headers.get('content-type')).toMatch(/json/);
  });

  it(
    'signs in with email and password',
    async () => {
      await page.goto(`${base}/`);
      await page.getByRole('heading', { name: /Sign in to Klaxon/ }).waitFor();
      await page.getByLabel('Email').fill(ADMIN.email);
      await page.getByLabel('Password').fill('wrong password!');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect(page.getByRole('alert').textContent()).resolves.toContain('Email or password is incorrect');
      await shot('sign-in');
      await page.getByLabel('Password').fill(ADMIN.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'Alerts' }).waitFor();
      await page.getByText('No alerts yet').waitFor();
      const cookies = await context.cookies();
      expect(cookies.find((cookie) => cookie.name === 'klaxon_session')).toMatchObject({
        httpOnly: true,
        sameSite: 'Strict',
      });
    },
    TIMEOUT,
  );

  it(
    'creates an integration with type defaults shown, and copies its secret once',
    async () => {
      await navLink(page, 'Integrations').click();
      await page.getByText('No integrations yet').waitFor();
      await page.getByRole('button', { name: 'New integration' }).click();
      await page.getByLabel('Name').fill('checkout-api');
      await page.getByLabel('Type').selectOption('grafana');
      await page.getByText('X-Grafana-Alerting-Signature').waitFor();
      await page.getByLabel('Type').selectOption('generic');
      await page.getByText('X-Webhook-Signature').waitFor();
      await page.getByRole('button', { name: 'Create integration' }).click();
      const secretField = page.getByLabel('Webhook secret');
      await secretField.waitFor();
      secret = await secretField.inputValue();
      expect(secret).toMatch(/^[0-9a-f]{64}$/);
      await page.getByText('shown only this once').waitFor();
      await page.getByRole('button', { name: 'Copy secret' }).click();
      await page.getByRole('button', { name: /^Copied/ }).waitFor();
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
      await shot('integration-created');
    },
    TIMEOUT,
  );

  it(
    'sends a test alert and sees it arrive live',
    async () => {
      await page.getByRole('link', { name: 'Set up the sender and send a test alert' }).click();
      await page.getByRole('heading', { name: 'checkout-api' }).waitFor();
      expect(await page.getByLabel('Webhook URL').inputValue()).toBe(`${base}/webhooks/alerts/checkout-api`);
      await page.getByText('No deliveries yet').waitFor();
      await page.getByRole('button', { name: 'Send test alert' }).click();
      await page.getByText(/Test alert accepted \(HTTP 202\)/).waitFor();
      await page.locator('[data-testid="delivery"].delivery-accepted').first().waitFor({ timeout: 30_000 });
      await page.getByTestId('alert-count').getByText('1', { exact: true }).waitFor();
      // The set-up page keeps showing the secret until the person leaves it; then it is gone for good.
      expect(await page.getByLabel('Webhook secret').inputValue()).toBe(secret);
      await page.reload();
      await page.getByRole('heading', { name: 'checkout-api' }).waitFor();
      await page.getByTestId('alert-count').getByText('1', { exact: true }).waitFor();
      expect(await page.content()).not.toContain(secret);
      await shot('integration-detail');
    },
    TIMEOUT,
  );

  it(
    'shows a badly signed webhook as a rejected delivery with its reason',
    async () => {
      // Keys in an order jsonb would change (it sorts shorter keys first): the console shows them as sent.
      const body = JSON.stringify({ severity: 'critical', title: 'Forged alert', labels: { service: 'checkout' } });
      const response = await fetch(`${base}/webhooks/alerts/checkout-api`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-webhook-signature': hmacHex('not-the-secret', body) },
        body,
      });
      expect(response.status).toBe(401);
      const rejected = page.locator('[data-testid="delivery"].delivery-rejected').first();
      await rejected.waitFor({ timeout: 30_000 });
      const text = await rejected.textContent();
      expect(text).toContain('signature did not match');
      expect(text).toContain('expected header X-Webhook-Signature');
      expect(text).toContain('HTTP 401');
      await rejected.getByText('Payload as received').click();
      const shown = (await rejected.locator('pre').textContent()) ?? '';
      expect(shown.indexOf('"severity": "critical"')).toBeGreaterThanOrEqual(0);
      expect(shown.indexOf('"severity"')).toBeLessThan(shown.indexOf('"title"'));
      await page.getByRole('heading', { name: 'Deliveries' }).evaluate((heading) => heading.scrollIntoView());
      await shot('deliveries');
    },
    TIMEOUT,
  );

  it(
    'acknowledges and resolves an alert',
    async () => {
      await navLink(page, 'Alerts').click();
      const row = page.getByRole('link', { name: 'Test alert from the Klaxon console' });
      await row.waitFor();
      await shot('alerts');
      await row.click();
      const status = page.getByTestId('alert-status');
      expect(await status.textContent()).toBe('firing');
      await page.getByRole('button', { name: 'Acknowledge' }).click();
      await page.getByTestId('alert-status').getByText('acknowledged').waitFor();
      await page.getByRole('button', { name: 'Resolve' }).click();
      await page.getByTestId('alert-status').getByText('resolved').waitFor();
      await page.getByText('Resolved', { exact: true }).first().waitFor();
      await shot('alert-detail');

      await navLink(page, 'Alerts').click();
      await page.getByLabel('Status').selectOption('firing');
      await page.getByText('No alerts match these filters').waitFor();
    },
    TIMEOUT,
  );

  it(
    'shows a new alert in the alerts list live, without a reload',
    async () => {
      await navLink(page, 'Alerts').click();
      await page.getByRole('link', { name: 'Test alert from the Klaxon console' }).waitFor();
      await page.getByText('● live').waitFor();
      const body = JSON.stringify({ title: 'Disk almost full on db-1', severity: 'critical', dedupKey: 'live-1' });
      const response = await fetch(`${base}/webhooks/alerts/checkout-api`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-webhook-signature': hmacHex(secret, body) },
        body,
      });
      expect(response.status).toBe(202);
      // Before the 15 s fallback poll could bring it: the stream told the page. (Under a quiet machine
      // it takes well under a second; the bound leaves room for a loaded one.)
      await page.getByRole('link', { name: 'Disk almost full on db-1' }).waitFor({ timeout: 14_000 });
    },
    TIMEOUT,
  );

  it(
    'creates a team with a member, adds a routing rule, and the dry-run shows the match',
    async () => {
      await navLink(page, 'Teams').click();
      await page.getByText('No teams yet').waitFor();
      await page.getByLabel('Name', { exact: true }).fill('Payments');
      await page.getByLabel('Description (optional)').fill('Checkout and billing');
      await page.getByRole('button', { name: 'Create team' }).click();
      await page.getByRole('heading', { name: 'Payments' }).waitFor();
      await page.getByText('No members yet').waitFor();
      await page.getByLabel('Person').selectOption({ label: MEMBER.email });
      await page.getByRole('button', { name: 'Add member' }).click();
      await page.getByRole('cell', { name: MEMBER.email, exact: true }).waitFor();
      await shot('team-detail');

      await navLink(page, 'Routing').click();
      await page.getByText('No routing rules yet').waitFor();
      await page.getByRole('button', { name: 'Add rule' }).click();
      await page.getByLabel('Name', { exact: true }).fill('Payments by label');
      await page.getByLabel('Send to team').selectOption({ label: 'Payments' });
      await page.getByLabel('Label name').fill('team');
      await page.getByLabel('Value', { exact: true }).fill('payments');
      await page.getByRole('button', { name: 'Create rule' }).click();
      const rule = page.getByTestId('routing-rule');
      await rule.getByText('labels.team = "payments"').waitFor();
      expect(await rule.textContent()).toContain('Payments');

      await page.getByLabel('Title', { exact: true }).fill('Card payments failing');
      await page.getByLabel('Severity', { exact: true }).selectOption('critical');
      await page.getByLabel('Labels, one name=value per line').fill('team=payments\nenv=production');
      await page.getByRole('button', { name: 'Run dry-run' }).click();
      const result = page.getByTestId('dry-run-result');
      await result.getByTestId('dry-run-teams').getByText('Payments').waitFor();
      await result.getByRole('cell', { name: 'Payments by label' }).waitFor();
      await result.getByText('matched', { exact: true }).waitFor();
      await page.getByRole('heading', { name: 'Dry-run' }).evaluate((heading) => heading.scrollIntoView());
      await shot('routing');

      await page.getByLabel('Labels, one name=value per line').fill('team=search');
      await page.getByRole('button', { name: 'Run dry-run' }).click();
      await page.getByText('Lands on no team').waitFor();
      await result.getByText(/matcher 1 \(labels\.team equals\) did not hold/).waitFor();
    },
    TIMEOUT,
  );

  it(
    'shows the audit log with filters, and users',
    async () => {
      await navLink(page, 'Audit log').click();
      // The entries' table: the action filter's <option>s carry the same names.
      const auditRows = page.locator('tbody');
      await auditRows.getByText('alert.resolved').first().waitFor();
      await page.getByLabel('Action').selectOption('session.created');
      await page.getByRole('button', { name: 'Apply filters' }).click();
      await auditRows.getByText('alert.resolved').waitFor({ state: 'detached' });
      await auditRows.getByText('session.created').first().waitFor();
      await page.getByLabel('Action').selectOption('');
      await page.getByRole('button', { name: 'Apply filters' }).click();
      await auditRows.getByText('integration.created').first().waitFor();
      await shot('audit-log');
      await navLink(page, 'Users').click();
      await page.getByRole('cell', { name: MEMBER.email, exact: true }).waitFor();
      await shot('users');
    },
    TIMEOUT,
  );

  it(
    'silences alerts under Noise control',
    async () => {
      await navLink(page, 'Noise control').click();
      await page.getByRole('heading', { name: 'Silences' }).waitFor();
      await page.getByLabel(/^Matchers/).fill('service=checkout\nenv=staging');
      await page.getByLabel('Duration (minutes)').fill('120');
      await page.getByLabel('Comment').fill('Checkout load test until 16:00');
      await page.getByRole('button', { name: 'Create silence' }).click();
      await page.getByRole('cell', { name: 'Checkout load test until 16:00' }).waitFor();
      await shot('noise-control');
    },
    TIMEOUT,
  );

  it(
    'works at phone width',
    async () => {
      const phone = await browser.newContext({ viewport: { width: 390, height: 780 }, isMobile: true, hasTouch: true });
      const mobile = await phone.newPage();
      await mobile.goto(`${base}/`);
      await mobile.getByLabel('Email').fill(ADMIN.email);
      await mobile.getByLabel('Password').fill(ADMIN.password);
      await mobile.getByRole('button', { name: 'Sign in' }).click();
      // The phone layout folds the navigation (and Sign out) behind the Menu button.
      await mobile.getByRole('button', { name: 'Menu' }).waitFor();
      await mobile.goto(`${base}/alerts`);
      await mobile.getByRole('heading', { name: 'Alerts' }).waitFor();
      const overflow = await mobile.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      await mobile.getByRole('button', { name: 'Menu' }).click();
      await navLink(mobile, 'Integrations').click();
      await mobile.getByRole('link', { name: 'checkout-api' }).waitFor();
      await shot('phone-integrations', mobile);
      await mobile.goto(`${base}/routing`);
      await mobile.getByTestId('routing-rule').waitFor();
      const routingOverflow = await mobile.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(routingOverflow).toBeLessThanOrEqual(0);
      await phone.close();
    },
    TIMEOUT,
  );

  it(
    'a non-admin sees no admin pages',
    async () => {
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('heading', { name: /Sign in to Klaxon/ }).waitFor();
      await signIn(page, MEMBER);
      // A member lands on Incidents; their teams are read-only, routing and administration not offered.
      await page.getByRole('heading', { name: 'Incidents' }).waitFor();
      const nav = page.getByRole('navigation', { name: 'Primary' });
      expect(await nav.getByRole('link').allTextContents()).toEqual([
        'Alerts',
        'Incidents',
        'Schedules',
        'Escalation',
        'Heartbeats',
        'Teams',
        'Noise control',
        'API keys',
        'Profile',
      ]);
      await navLink(page, 'Teams').click();
      await page.getByRole('link', { name: 'Payments' }).click();
      await page.getByRole('cell', { name: MEMBER.email, exact: true }).waitFor();
      expect(await page.getByRole('button', { name: /Add member|Delete team|Remove/ }).count()).toBe(0);
      await page.goto(`${base}/routing`);
      await page.getByRole('heading', { name: 'Not available' }).waitFor();
      await navLink(page, 'API keys').click();
      await page.getByLabel('Name').fill('my laptop');
      await page.getByRole('button', { name: 'Create key' }).click();
      expect(await page.getByRole('textbox', { name: 'API key', exact: true }).inputValue()).toMatch(/^klx_/);
      await shot('member-api-keys');
      await page.goto(`${base}/integrations`);
      await page.getByRole('heading', { name: 'Not available' }).waitFor();
      expect(await page.content()).not.toContain('checkout-api');
    },
    TIMEOUT,
  );
});
