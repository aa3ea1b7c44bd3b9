import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import {
  allowLoopbackReceivers,
  linksIn,
  mailText,
  startReceiver,
  startSmtpServer,
  waitFor,
} from '../helpers/paging.js';
import { reservePort } from '../helpers/ports.js';
import { hmacHex } from '../helpers/webhooks.js';
import { callApi } from './helpers/api.js';
import {
  E2E_TIMEOUT,
  hasChromium,
  launchChromium,
  navLink,
  prepareConsole,
  screenshot,
  signIn,
} from './helpers/browser.js';

/**
 * Paging through the console, in headless Chromium against a listening Klaxon with its job
 * workers and a real SMTP server on loopback: a person sets up how they are reached, a team
 * manager builds a schedule and an escalation policy, an alert arrives at the webhook, the
 * incident appears live, and the acknowledge link of the email acknowledges it.
 */
const ADMIN = { email: 'ops-lead@example.com', password: 'e2e paging password', name: 'Ops Lead' };
const BOB = { email: 'bob@example.com', name: 'Bob Builder', password: 'e2e member password' };
const ALERT_TITLE = 'Checkout latency above SLO';
/** The console refreshes incidents every 5 s; allow a few rounds. */
const LIVE = { timeout: 20_000 };

let t: TestApp;
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let base: string;
let adminKey: string;
let adminId: string;
let teamId: string;
let integration: { webhookSecret: string; signatureHeader: string };
let browser: Browser;
let context: BrowserContext;
let page: Page;

function asAdmin(method: string, url: string, body?: unknown) {
  return callApi(t, adminKey, method, url, body);
}

/** datetime-local input value, in this process's (and so the browser's) time zone. */
function localInput(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

describe.skipIf(!hasChromium)('paging in the console (headless Chromium)', () => {
  beforeAll(async () => {
    prepareConsole();
    smtp = await startSmtpServer();
    receiver = await startReceiver();
    // Held until the server listens, so the one-click links in emails can point at this server.
    const { port, release } = await reservePort();
    base = `http://127.0.0.1:${port}`;
    t = await createTestApp({
      incidents: {
        smtpUrl: smtp.url,
        smtpFrom: 'Klaxon <klaxon@example.com>',
        publicUrl: base,
        pollingIntervalSeconds: 0.5,
        reconcileIntervalMs: 1_000,
        ...allowLoopbackReceivers,
      },
    });
    await t.services.escalationEngine.start();
    await release();
    await t.app.listen({ port, host: '127.0.0.1' });
    const admin = await t.services.bootstrapAdminService.bootstrap(ADMIN);
    adminKey = admin.apiKey;
    adminId = admin.userId;
    const bob = await asAdmin('POST', '/api/users', { email: BOB.email, name: BOB.name });
    await t.services.sessionsService.setPassword({ userId: bob.id }, BOB.password, null);
    teamId = (await asAdmin('POST', '/api/teams', { name: 'payments' })).id;
    await asAdmin('POST', `/api/teams/${teamId}/members`, { userId: adminId, role: 'manager' });
    await asAdmin('POST', `/api/teams/${teamId}/members`, { userId: bob.id });
    await asAdmin('POST', '/api/routing-rules', {
      name: 'payments',
      teamId,
      matchers: [{ field: 'labels.team', op: 'equals', value: 'payments' }],
    });
    integration = await asAdmin('POST', '/api/integrations', { name: 'checkout', type: 'generic' });
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    context.setDefaultTimeout(30_000);
    page = await context.newPage();
    page.on('dialog', (dialog) => void dialog.accept());
    await signIn(page, base, ADMIN);
  }, E2E_TIMEOUT);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await smtp?.close();
    await receiver?.close();
  });

  it(
    'adds an email contact method, sends a test notification and sets a rule',
    async () => {
      await navLink(page, 'Profile').click();
      await page.getByRole('heading', { name: 'My profile' }).waitFor();
      await page.getByText('No contact method yet').waitFor();
      await page.getByText('Nothing sent yet').waitFor();
      await page.getByLabel('Type').selectOption('email');
      await page.getByLabel('Email address').fill(ADMIN.email);
      await page.getByRole('button', { name: 'Add contact method' }).click();
      await page.getByTestId('contact-method').getByText(ADMIN.email, { exact: true }).waitFor();

      await page.getByRole('button', { name: /Send me a test notification/ }).click();
      await page.getByRole('status').getByText('Test notification sent.').waitFor();
      expect(smtp.mails.filter((mail) => mail.to.includes(ADMIN.email))).toHaveLength(1);

      await page.getByLabel('Notify me by').selectOption({ label: `Email ${ADMIN.email}` });
      await page.getByLabel(/Minutes after I am paged/).fill('0');
      await page.getByRole('button', { name: 'Add rule' }).click();
      await page.getByTestId('notification-rule').getByText('Immediately by').waitFor();
      const rules = await asAdmin('GET', '/api/notification-rules');
      expect(rules.rules).toMatchObject([{ delayMinutes: 0 }]);
    },
    E2E_TIMEOUT,
  );

  it(
    'creates a schedule with a rotation, shows who is on call and an override on the timeline',
    async () => {
      await navLink(page, 'Schedules').click();
      await page.getByText('No schedule yet: nobody is on call for payments').waitFor();
      await page.getByRole('button', { name: 'New schedule' }).click();
      await page.getByLabel('Team').selectOption({ label: 'payments' });
      await page.getByLabel('Name', { exact: true }).fill('Payments primary');
      // The API's problem details are shown as they come.
      await page.getByLabel('Time zone (IANA name)').fill('Mars/Olympus_Mons');
      await page.getByRole('button', { name: 'Create schedule' }).click();
      await page.getByRole('alert').getByText('must be an IANA time zone name').waitFor();
      await page.getByLabel('Time zone (IANA name)').fill('Europe/Berlin');
      await page.getByRole('button', { name: 'Create schedule' }).click();
      await page.getByRole('heading', { name: 'Payments primary' }).waitFor();
      await page.getByText('Nobody is on call', { exact: true }).waitFor();
      await page.getByText('Nobody is on call in these days').waitFor();

      await page.getByLabel(ADMIN.name).check();
      await page.getByLabel(BOB.name).check();
      await page.getByLabel('Turn unit').selectOption('weeks');
      await page.getByRole('button', { name: 'Add rotation' }).click();
      await page.getByTestId('on-call-now').getByText(ADMIN.name).waitFor();

      const tomorrow = new Date();
      tomorrow.setDate(tomorrow.getDate() + 1);
      tomorrow.setHours(9, 0, 0, 0);
      await page.getByLabel('Who covers').selectOption({ label: BOB.name });
      await page.getByLabel('From', { exact: true }).fill(localInput(tomorrow));
      await page.getByLabel('Until', { exact: true }).fill(localInput(new Date(tomorrow.getTime() + 8 * 3_600_000)));
      await page.getByLabel('Note (optional)').fill('covering the release');
      await page.getByRole('button', { name: 'Add override' }).click();
      await page.getByTestId('override').getByText('covering the release').waitFor();
      await page.locator('.segment.override').first().waitFor();
      const shifts = await page.getByTestId('shift').allTextContents();
      expect(shifts.some((row) => row.includes(BOB.name) && row.includes('override'))).toBe(true);
      expect(shifts[0]).toContain(ADMIN.name);
      await page.evaluate(() => window.scrollTo(0, 0));
      await screenshot(page, 'schedule');

      const scheduleId = page.url().split('/').pop();
      const now = await asAdmin('GET', `/api/schedules/${scheduleId}/oncall`);
      expect(now.oncall.map((shift: { userId: string }) => shift.userId)).toEqual([adminId]);

      await navLink(page, 'Schedules').click();
      await page.getByTestId('schedule-row').getByText(ADMIN.name).waitFor();
      await screenshot(page, 'schedules');
    },
    E2E_TIMEOUT,
  );

  it(
    'builds a two-level escalation policy with the editor and makes it the team default',
    async () => {
      await navLink(page, 'Escalation').click();
      await page.getByText('This team has no escalation policy').waitFor();
      await page.getByRole('button', { name: 'New policy' }).click();
      await page.getByLabel('Name', { exact: true }).fill('Payments default');
      await page.getByLabel('Add to level 1').selectOption({ label: 'Payments primary' });
      await page.getByRole('button', { name: 'Add level' }).click();
      await page.getByLabel('Add to level 2').selectOption({ label: ADMIN.name });
      await page.getByLabel('Add to level 2').selectOption({ label: BOB.name });
      await page.getByLabel('Minutes before level 2').fill('10');
      // The person should go first: move level 2 up, so the schedule becomes level 2.
      await page.getByRole('button', { name: 'Move up level 2' }).click();
      await page.getByRole('button', { name: `Remove ${BOB.name} from level 1` }).click();
      await page.getByLabel('Repeat the whole policy (times)').fill('1');
      await page.getByLabel(/Trigger an acknowledged incident again after/).fill('60');
      expect(await page.getByLabel(/Default policy of the team/).isChecked()).toBe(true);
      await screenshot(page, 'escalation-policy-editor');
      await page.getByRole('button', { name: 'Save policy' }).click();

      const card = page.getByTestId('policy');
      await card.getByText('default', { exact: true }).waitFor();
      expect(await card.textContent()).toContain(`Level 1: ${ADMIN.name}`);
      expect(await card.textContent()).toContain('Level 2: on call in Payments primary');
      const { policies } = await asAdmin('GET', `/api/escalation-policies?teamId=${teamId}`);
      expect(policies).toHaveLength(1);
      expect(policies[0]).toMatchObject({
        name: 'Payments default',
        isDefault: true,
        repeatCount: 1,
        ackTimeoutMinutes: 60,
        levels: [
          { delayMinutes: 5, targets: [{ type: 'user', id: adminId }] },
          { delayMinutes: 10, targets: [{ type: 'schedule' }] },
        ],
      });

      await page.getByRole('button', { name: 'Edit Payments default' }).click();
      await page.getByLabel('Minutes before level 2').fill('3');
      await page.getByRole('button', { name: 'Save policy' }).click();
      await card.getByText('next level after 3 min').waitFor();
      await card.getByText('An incident still acknowledged 60 min later triggers again.').waitFor();

      // The team itself as a target: everyone on it, and its chat channel, shown by name.
      await page.getByRole('button', { name: 'Edit Payments default' }).click();
      await page.getByLabel('Add to level 2').selectOption({ label: 'everyone on the team' });
      await page.getByLabel('Add to level 2').selectOption({ label: "the team's chat channel" });
      await page.getByRole('button', { name: 'Save policy' }).click();
      await expect
        .poll(() => card.textContent(), LIVE)
        .toContain("Level 2: on call in Payments primary, everyone on the team, the team's chat channel —");
      const withTeam = (await asAdmin('GET', `/api/escalation-policies?teamId=${teamId}`)).policies[0];
      expect(withTeam.levels[1].targets).toEqual([
        { type: 'schedule', id: expect.any(String) },
        { type: 'team', id: teamId },
        { type: 'team_channel', id: teamId },
      ]);
      // Removed again by their labelled buttons, so the rest of the flow pages the schedule only.
      await page.getByRole('button', { name: 'Edit Payments default' }).click();
      await page.getByRole('button', { name: 'Remove everyone on the team from level 2' }).click();
      await page.getByRole('button', { name: "Remove the team's chat channel from level 2" }).click();
      await page.getByRole('button', { name: 'Save policy' }).click();
      await expect.poll(() => card.textContent(), LIVE).toContain('Level 2: on call in Payments primary —');

      const grouping = page.getByTestId('grouping-rule');
      await grouping.getByText('Every new alert opens its own incident.').waitFor();
      await page.getByLabel('Group by labels (comma-separated)').fill('alertname, cluster');
      await page.getByLabel('Within (minutes)').fill('30');
      await page.getByRole('button', { name: 'Save grouping' }).click();
      await grouping.getByText('New alerts with the same alertname, cluster join').waitFor();
      expect(await asAdmin('GET', `/api/teams/${teamId}/incident-grouping`)).toEqual({
        rule: { teamId, groupBy: ['alertname', 'cluster'], windowMinutes: 30 },
      });
      await screenshot(page, 'escalation-policies');
      await page.getByRole('button', { name: 'Stop grouping' }).click();
      await grouping.getByText('Every new alert opens its own incident.').waitFor();
      expect(await asAdmin('GET', `/api/teams/${teamId}/incident-grouping`)).toEqual({ rule: null });
    },
    E2E_TIMEOUT,
  );

  it(
    'an alert opens an incident that appears live; the email’s acknowledge link acknowledges it',
    async () => {
      await navLink(page, 'Incidents').click();
      await page.getByText('No incidents yet').waitFor();

      const body = JSON.stringify({
        title: ALERT_TITLE,
        severity: 'critical',
        dedupKey: 'checkout-latency',
        labels: { team: 'payments', service: 'checkout' },
      });
      const response = await fetch(`${base}/webhooks/alerts/checkout`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [integration.signatureHeader]: hmacHex(integration.webhookSecret, body),
        },
        body,
      });
      expect(response.status).toBe(202);

      // No reload: the list refreshes itself.
      const row = page.getByTestId('incident-row').filter({ hasText: ALERT_TITLE });
      await row.waitFor(LIVE);
      expect(await row.getByTestId('incident-status').textContent()).toBe('triggered');

      const mail = await waitFor(
        () => smtp.mails.find((m) => m.to.includes(ADMIN.email) && mailText(m.raw).includes('Acknowledge: ')),
        20_000,
        'the paging email',
      );
      const acknowledgeUrl = linksIn(mail.raw).acknowledge;
      expect(acknowledgeUrl?.startsWith(`${base}/api/incidents/actions/`)).toBe(true);

      // Clicking the link in a mail client opens it in the browser.
      const fromMail = await context.newPage();
      // The link only shows a confirmation page (mail scanners fetch links); its button acts.
      await fromMail.goto(acknowledgeUrl ?? '');
      await fromMail.getByRole('button', { name: 'Acknowledge' }).click();
      await fromMail.getByText(/acknowledged by you/).waitFor();
      await fromMail.close();

      await row.getByTestId('incident-status').getByText('acknowledged').waitFor(LIVE);
      await screenshot(page, 'incidents');

      await row.getByRole('link', { name: ALERT_TITLE }).click();
      await page.getByRole('heading', { name: ALERT_TITLE }).waitFor();
      const timeline = page.getByRole('list', { name: 'Incident timeline, oldest first' });
      for (const kind of ['opened', 'escalated', 'notification_sent', 'acknowledged']) {
        await timeline.locator(`li[data-kind="${kind}"]`).first().waitFor();
      }
      expect(await page.getByRole('button', { name: 'Acknowledge' }).isDisabled()).toBe(true);
      // The link acted as the person it was sent to: the one reading this page.
      expect(await page.locator('dd', { hasText: /by you$/ }).count()).toBe(1);

      await page.getByLabel('Add a note').fill('Rolled back the 14:02 deploy');
      await page.getByRole('button', { name: 'Add note' }).click();
      await timeline.locator('li[data-kind="note"]').getByText('Rolled back the 14:02 deploy').waitFor();
      await page.getByLabel('Reassign to').selectOption({ label: BOB.name });
      await page.getByRole('button', { name: 'Reassign' }).click();
      await timeline.locator('li[data-kind="reassigned"]').getByText(`Reassigned to ${BOB.name}`).waitFor();
      await page.getByText(BOB.name, { exact: true }).first().waitFor();
      await screenshot(page, 'incident-detail');

      await page.getByRole('button', { name: 'Resolve' }).click();
      await page.getByTestId('incident-status').getByText('resolved').waitFor();

      await navLink(page, 'Profile').click();
      await page.getByTestId('notification').first().getByText('sent', { exact: true }).waitFor();
      await screenshot(page, 'profile');
    },
    E2E_TIMEOUT,
  );

  it(
    "an admin sets up someone's signed webhook: a refused URL shown as the API says, the secret once, a signed test",
    async () => {
      await navLink(page, 'Users').click();
      await page.getByRole('link', { name: BOB.email }).click();
      await page.getByRole('heading', { name: BOB.name }).waitFor();
      await page.getByText('No contact method yet').waitFor();
      // A chat webhook to a host that does not resolve is refused (SSRF guard), shown as the API says.
      await page.getByLabel('Type').selectOption('slack');
      await page.getByLabel('Incoming webhook URL').fill('https://chat.invalid/hooks/bob');
      await page.getByRole('button', { name: 'Add contact method' }).click();
      await page.getByRole('alert').getByText('Klaxon does not send to this address').waitFor();

      // A signed webhook to a receiver on loopback (allowed for this test): the secret is shown once,
      // and the test notification arrives signed per Standard Webhooks.
      const path = '/bob-hook';
      await page.getByLabel('Type').selectOption('webhook');
      await page.getByLabel('Webhook URL').fill(receiver.url(path));
      await page.getByRole('button', { name: 'Add contact method' }).click();
      const secret = await page.getByLabel('Signing secret').inputValue();
      expect(secret).toMatch(/^whsec_/);
      receiver.verifyWith(path, secret);
      await page.getByRole('button', { name: /^Send a test notification/ }).click();
      await page.getByRole('status').getByText('Test notification sent.').waitFor();
      expect(receiver.on(path).map((request) => request.verified)).toEqual([true]);
      const { contactMethods } = await asAdmin('GET', `/api/contact-methods?userId=${page.url().split('/').pop()}`);
      expect(contactMethods).toMatchObject([{ type: 'webhook', address: receiver.url(path) }]);
      await page.reload();
      await page.getByTestId('contact-method').first().waitFor();
      expect(await page.content()).not.toContain(secret);
    },
    E2E_TIMEOUT,
  );

  it(
    "a team member sees the team's incidents and schedules, and its policies read-only",
    async () => {
      const member = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const bobPage = await member.newPage();
      await signIn(bobPage, base, BOB);
      await bobPage.getByRole('heading', { name: 'Incidents' }).waitFor();
      await bobPage.getByTestId('incident-row').filter({ hasText: ALERT_TITLE }).getByText('resolved').waitFor();
      await navLink(bobPage, 'Escalation').click();
      await bobPage.getByTestId('policy').getByText('Payments default').waitFor();
      await bobPage.getByText('Only the team’s managers and platform admins change its policies.').waitFor();
      expect(await bobPage.getByRole('button', { name: 'New policy' }).count()).toBe(0);
      expect(await bobPage.getByRole('button', { name: /^Edit/ }).count()).toBe(0);
      await navLink(bobPage, 'Schedules').click();
      await bobPage.getByTestId('schedule-row').getByText(ADMIN.name).waitFor();
      expect(await bobPage.getByRole('button', { name: 'New schedule' }).count()).toBe(0);
      await member.close();
    },
    E2E_TIMEOUT,
  );

  it(
    'incidents and schedules work at phone width',
    async () => {
      const phone = await browser.newContext({ viewport: { width: 390, height: 780 }, isMobile: true, hasTouch: true });
      const mobile = await phone.newPage();
      await signIn(mobile, base, ADMIN);
      for (const path of ['/incidents', '/schedules', '/escalation-policies', '/profile']) {
        await mobile.goto(`${base}${path}`);
        await mobile.getByRole('heading', { level: 1 }).waitFor();
        await mobile.getByText('Loading…').first().waitFor({ state: 'detached' });
        const overflow = await mobile.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(overflow, path).toBeLessThanOrEqual(0);
      }
      await mobile.goto(`${base}/schedules`);
      await mobile.getByRole('link', { name: 'Payments primary' }).click();
      await mobile.getByTestId('on-call-now').waitFor();
      const overflow = await mobile.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      await screenshot(mobile, 'phone-schedule');
      await phone.close();
    },
    E2E_TIMEOUT,
  );
});
