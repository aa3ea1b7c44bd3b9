import type { AddressInfo } from 'node:net';
import axe from 'axe-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { hmacHex } from '../helpers/webhooks.js';
import { E2E_TIMEOUT, hasChromium, launchChromium, navLink, prepareConsole, screenshot } from './helpers/browser.js';

/**
 * Issue 9's "accessible, usable on a laptop and a phone width", checked rather than claimed:
 * every console page, filled with data seeded through the API, is run through axe-core (WCAG
 * 2.0/2.1/2.2 A and AA rules and axe's best practices) at 1280×800 and at 390×844; at phone width
 * the page must not scroll sideways and the navigation must open from the Menu button. Every Tab
 * stop must show a focus ring that contrasts 3:1 with what is behind it, and a keyboard-only pass
 * signs in, acknowledges and resolves an alert with Tab, typing and Enter.
 */
const ADMIN = { email: 'ops-lead@example.com', password: 'e2e a11y password', name: 'Ops Lead' };
const BOB = { email: 'bob@example.com', password: 'e2e member password', name: 'Bob Builder' };
const LAPTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };
/** WCAG 2.0, 2.1 and 2.2 A and AA rules, plus axe's best practices (landmarks, heading order, one h1). */
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

let t: TestApp;
let base: string;
let adminKey: string;
let browser: Browser;
/** Ids of the seeded resources the detail pages show. */
const ids = {
  integration: '',
  alert: '',
  keyboardAlert: '',
  incident: '',
  schedule: '',
  team: '',
  bob: '',
  invitee: '',
};
let inviteUrl = '';

async function asAdmin(method: string, url: string, body?: unknown) {
  const response = await fetch(`${base}${url}`, {
    method,
    headers: {
      authorization: `Bearer ${adminKey}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${url}: ${response.status} ${text}`);
  return text === '' ? null : JSON.parse(text);
}

async function sendWebhook(name: string, secret: string, payload: unknown): Promise<Response> {
  const body = JSON.stringify(payload);
  return fetch(`${base}/webhooks/alerts/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-webhook-signature': hmacHex(secret, body) },
    body,
  });
}

interface Violation {
  id: string;
  impact?: string | null;
  help: string;
  nodes: Array<{ target: unknown[]; failureSummary?: string }>;
}

async function injectAxe(page: Page): Promise<void> {
  const loaded = await page.evaluate(() => 'axe' in window);
  if (!loaded) await page.evaluate(axe.source);
}

/** Runs axe-core in the page (evaluated over CDP, so the console's CSP does not block it). */
async function axeViolations(page: Page): Promise<Violation[]> {
  await injectAxe(page);
  return page.evaluate(async (tags) => {
    const run = (window as unknown as { axe: typeof axe }).axe.run;
    const results = await run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return results.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact,
      help: violation.help,
      nodes: violation.nodes.map((node) => ({ target: node.target, failureSummary: node.failureSummary })),
    }));
  }, AXE_TAGS);
}

function describeViolations(where: string, violations: Violation[]): string {
  return [
    `${violations.length} axe violation(s) on ${where}:`,
    ...violations.flatMap((violation) => [
      `- ${violation.id} (${violation.impact}): ${violation.help}`,
      ...violation.nodes.map(
        (node) => `    ${JSON.stringify(node.target)}: ${(node.failureSummary ?? '').replace(/\s+/g, ' ')}`,
      ),
    ]),
  ].join('\n');
}

async function expectNoViolations(page: Page, where: string): Promise<void> {
  const violations = await axeViolations(page);
  expect(violations, describeViolations(where, violations)).toEqual([]);
}

/**
 * Checks many pages, and fails once at the end listing every page's violations and overflows,
 * so one run shows all that is wrong rather than the first page's.
 */
function findings() {
  const problems: string[] = [];
  return {
    async axe(page: Page, where: string) {
      const violations = await axeViolations(page);
      if (violations.length > 0) problems.push(describeViolations(where, violations));
    },
    async title(page: Page, expected: string, where: string) {
      const title = await page.title();
      if (title !== expected) problems.push(`${where}: the document title is "${title}", not "${expected}"`);
    },
    /** Buttons, links and fields that stick out of their card (the page may still fit the screen). */
    async spill(page: Page, where: string) {
      const spilled = await page.evaluate(() =>
        Array.from(document.querySelectorAll<HTMLElement>('.card button, .card .button, .card input, .card select'))
          .filter((element) => {
            const card = element.closest('.card')?.getBoundingClientRect();
            const box = element.getBoundingClientRect();
            return card !== undefined && box.width > 0 && box.right > card.right + 1;
          })
          .map((element) => `${element.tagName.toLowerCase()} "${(element.textContent || element.id).trim()}"`),
      );
      if (spilled.length > 0) problems.push(`${where}: sticks out of its card: ${spilled.join(', ')}`);
    },
    /** Fields named only by a placeholder or aria-label pass axe, but the eye sees no label. */
    async labels(page: Page, where: string) {
      const unlabelled = await page.evaluate(() =>
        Array.from(document.querySelectorAll<HTMLInputElement>('input, select, textarea'))
          .filter((field) => field.type !== 'hidden' && field.getClientRects().length > 0)
          .filter((field) => {
            const labels = Array.from(field.labels ?? []);
            const byId = (field.getAttribute('aria-labelledby') ?? '')
              .split(/\s+/)
              .map((id) => document.getElementById(id))
              .filter((element) => element !== null);
            return [...labels, ...byId].every((label) => (label?.textContent ?? '').trim() === '');
          })
          .map(
            (field) =>
              `${field.tagName.toLowerCase()}#${field.id} (${field.getAttribute('aria-label') ?? field.placeholder ?? ''})`,
          ),
      );
      if (unlabelled.length > 0) problems.push(`${where}: fields without a label element: ${unlabelled.join(', ')}`);
    },
    async overflow(page: Page, where: string) {
      const overflow = await horizontalOverflow(page);
      if (overflow > 0) problems.push(`${where} scrolls sideways by ${overflow}px`);
    },
    assertNone() {
      expect(problems, problems.join('\n\n')).toEqual([]);
    },
  };
}

async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}

/** Waits until the page has drawn its data: the named heading is shown and nothing is still loading. */
async function settle(page: Page, heading: string | RegExp): Promise<void> {
  await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
  await page.getByText('Loading…').first().waitFor({ state: 'detached' });
  // Fonts and layout settle before measuring contrast and overflow.
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
}

/**
 * The focused element's focus ring, judged in the page from its computed style: an outline at
 * least 2px wide (date inputs focus an inner field, so they match :focus-within rather than
 * :focus-visible; what counts is the ring drawn), and that outline's colour must contrast 3:1 (WCAG 1.4.11) with the
 * first opaque background found just outside the element (what the ring is drawn over).
 * `first` says whether this is the document's first Tab stop, to know when Tab has wrapped.
 */
function focusRingOfActiveElement() {
  const element = document.activeElement as HTMLElement | null;
  if (element === null || element === document.body || element === document.documentElement) return null;
  const tabbable = Array.from(
    document.querySelectorAll<HTMLElement>('a[href], button, input, select, textarea, summary, [tabindex]'),
  ).filter(
    (candidate) => candidate.tabIndex >= 0 && !candidate.matches(':disabled') && candidate.getClientRects().length > 0,
  );
  const text = (element.getAttribute('aria-label') ?? element.textContent ?? '').trim().slice(0, 40);
  const what = `${element.tagName.toLowerCase()}${element.id ? `#${element.id}` : ''} "${text}"`;
  const style = getComputedStyle(element);
  const width = Number.parseFloat(style.outlineWidth);
  const result = (ok: boolean, why: string) => ({ ok, why, what, first: tabbable[0] === element });
  if (style.outlineStyle === 'none' || width < 2) return result(false, `outline ${style.outlineStyle} ${width}px`);
  const rgb = (color: string) => {
    const parts = color.match(/[\d.]+/g)?.map(Number) ?? [0, 0, 0, 0];
    return { r: parts[0] ?? 0, g: parts[1] ?? 0, b: parts[2] ?? 0, a: parts[3] ?? 1 };
  };
  const luminance = ({ r, g, b }: { r: number; g: number; b: number }) => {
    const channel = (value: number) => {
      const c = value / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  };
  // A point in the middle of the ring's left edge (or right edge, if the left is off-screen).
  const box = element.getBoundingClientRect();
  const reach = Number.parseFloat(style.outlineOffset) + width / 2;
  const y = Math.min(Math.max(box.top + box.height / 2, 0), window.innerHeight - 1);
  const x = box.left - reach >= 0 ? box.left - reach : Math.min(box.right + reach, window.innerWidth - 1);
  let behind = { r: 255, g: 255, b: 255, a: 1 };
  for (const layer of document.elementsFromPoint(x, y)) {
    if (layer === element || element.contains(layer)) continue;
    const background = rgb(getComputedStyle(layer).backgroundColor);
    if (background.a > 0.5) {
      behind = background;
      break;
    }
  }
  const ring = rgb(style.outlineColor);
  const [light, dark] = [luminance(ring), luminance(behind)].sort((a, b) => b - a) as [number, number];
  const ratio = (light + 0.05) / (dark + 0.05);
  return result(
    ratio >= 3,
    `ring ${style.outlineColor} on rgb(${behind.r}, ${behind.g}, ${behind.b}) is ${ratio.toFixed(2)}:1`,
  );
}

interface ConsolePage {
  name: string;
  path: () => string;
  heading: string | RegExp;
  /** Something of the seeded data this page must show, so it is checked full, not empty. */
  shows: (page: Page) => Promise<void>;
  /** Optionally opens a form or editor before checking, so its fields are checked too. */
  open?: (page: Page) => Promise<void>;
}

const PAGES: ConsolePage[] = [
  {
    name: 'integrations',
    path: () => '/integrations',
    heading: 'Integrations',
    shows: (page) => page.getByRole('link', { name: 'checkout-api' }).waitFor(),
    open: (page) => page.getByRole('button', { name: 'New integration' }).click(),
  },
  {
    name: 'integration-detail',
    path: () => `/integrations/${ids.integration}`,
    heading: 'checkout-api',
    shows: async (page) => {
      await page.locator('[data-testid="delivery"].delivery-accepted').first().waitFor();
      await page.locator('[data-testid="delivery"].delivery-rejected').first().waitFor();
    },
  },
  {
    name: 'alerts',
    path: () => '/alerts',
    heading: 'Alerts',
    shows: (page) => page.getByRole('link', { name: 'Disk almost full on db-1' }).waitFor(),
  },
  {
    name: 'alert-detail',
    path: () => `/alerts/${ids.alert}`,
    heading: 'Disk almost full on db-1',
    shows: (page) => page.getByTestId('alert-status').waitFor(),
  },
  {
    name: 'incidents',
    path: () => '/incidents',
    heading: 'Incidents',
    shows: (page) => page.getByTestId('incident-row').first().waitFor(),
  },
  {
    name: 'incident-detail',
    path: () => `/incidents/${ids.incident}`,
    heading: 'Card payments failing',
    shows: (page) => page.getByRole('list', { name: 'Incident timeline, oldest first' }).waitFor(),
  },
  {
    name: 'schedules',
    path: () => '/schedules',
    heading: 'Schedules',
    shows: (page) => page.getByTestId('schedule-row').first().waitFor(),
    open: (page) => page.getByRole('button', { name: 'New schedule' }).click(),
  },
  {
    name: 'schedule-detail',
    path: () => `/schedules/${ids.schedule}`,
    heading: 'Payments primary',
    shows: (page) => page.locator('.calendar .segment').first().waitFor(),
  },
  {
    name: 'escalation-policies',
    path: () => '/escalation-policies',
    heading: /Escalation/,
    shows: (page) => page.getByTestId('policy').first().waitFor(),
    open: (page) => page.getByRole('button', { name: 'New policy' }).click(),
  },
  {
    name: 'teams',
    path: () => '/teams',
    heading: 'Teams',
    shows: (page) => page.getByRole('link', { name: 'payments' }).waitFor(),
  },
  {
    name: 'team-detail',
    path: () => `/teams/${ids.team}`,
    heading: 'payments',
    shows: (page) => page.getByRole('cell', { name: `${BOB.name} <${BOB.email}>`, exact: true }).waitFor(),
  },
  {
    name: 'routing',
    path: () => '/routing',
    heading: /Routing/,
    shows: (page) => page.getByTestId('routing-rule').first().waitFor(),
    open: (page) => page.getByRole('button', { name: 'Add rule' }).click(),
  },
  {
    name: 'inhibition-rules',
    path: () => '/inhibition-rules',
    heading: 'Inhibition rules',
    shows: (page) => page.getByTestId('inhibition-rule').first().waitFor(),
    open: (page) => page.getByRole('button', { name: 'Edit Site down hides its warnings' }).click(),
  },
  {
    name: 'event-rules',
    path: () => '/event-rules',
    heading: 'Event rules',
    shows: (page) => page.getByTestId('event-rule').first().waitFor(),
    // Runs the dry-run, so its result is checked too.
    open: async (page) => {
      await page.getByLabel('Integration (its type normalizes the sample)').selectOption({ label: 'checkout-api' });
      await page.getByRole('button', { name: 'Dry-run', exact: true }).click();
      await page.getByTestId('dry-run-alert').first().waitFor();
    },
  },
  {
    name: 'audit',
    path: () => '/audit',
    heading: 'Audit log',
    // The entries' table: the action filter's <option>s carry the same names.
    shows: (page) => page.locator('tbody').getByText('integration.created').first().waitFor(),
  },
  {
    name: 'users',
    path: () => '/users',
    heading: 'Users',
    shows: (page) => page.getByRole('link', { name: BOB.email }).waitFor(),
  },
  {
    name: 'person',
    path: () => `/people/${ids.bob}`,
    heading: BOB.name,
    shows: (page) => page.getByTestId('contact-method').first().waitFor(),
  },
  {
    name: 'api-keys',
    path: () => '/api-keys',
    heading: 'API keys',
    shows: (page) => page.getByText('deploy-bot').first().waitFor(),
  },
  {
    name: 'profile',
    path: () => '/profile',
    heading: 'My profile',
    shows: (page) => page.getByTestId('contact-method').first().waitFor(),
  },
];

async function signInWith(page: Page, user: { email: string; password: string }): Promise<void> {
  await page.goto(`${base}/`);
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('banner').waitFor();
}

/**
 * The admin's session cookie, from one sign-in through the form in beforeAll: signing in again
 * for every test would trip the login rate limit (5 a minute per email).
 */
let adminCookies: Awaited<ReturnType<BrowserContext['cookies']>> = [];

async function signedIn(page: Page): Promise<void> {
  await page.context().addCookies(adminCookies);
  await page.goto(`${base}/`);
  await page.getByRole('banner').waitFor();
}

async function newPage(viewport: { width: number; height: number }): Promise<{ context: BrowserContext; page: Page }> {
  const phone = viewport.width < 600;
  const context = await browser.newContext({ viewport, ...(phone ? { isMobile: true, hasTouch: true } : {}) });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  return { context, page };
}

describe.skipIf(!hasChromium)('accessibility of the console (axe-core in headless Chromium)', () => {
  beforeAll(async () => {
    prepareConsole();
    t = await createTestApp();
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    const admin = await t.services.bootstrapAdminService.bootstrap(ADMIN);
    adminKey = admin.apiKey;
    const adminId = admin.userId;

    // People: a member with a password and a contact method, an invitee without a password yet.
    const bob = await asAdmin('POST', '/api/users', { email: BOB.email, name: BOB.name });
    ids.bob = bob.id;
    await t.services.sessionsService.setPassword({ userId: bob.id }, BOB.password, null);
    const invitee = await asAdmin('POST', '/api/users', { email: 'newcomer@example.com' });
    ids.invitee = invitee.id;
    inviteUrl = (await asAdmin('POST', `/api/users/${invitee.id}/password-link`, {})).url;
    await asAdmin('POST', '/api/contact-methods', { type: 'email', address: ADMIN.email });
    await asAdmin('POST', '/api/contact-methods', { type: 'email', address: BOB.email, userId: bob.id });
    await asAdmin('POST', '/api/api-keys', { name: 'deploy-bot' });
    await asAdmin('POST', '/api/api-keys', { name: 'bob laptop', userId: bob.id });

    // A team with a schedule (one rotation), a default escalation policy and a routing rule.
    ids.team = (await asAdmin('POST', '/api/teams', { name: 'payments' })).id;
    await asAdmin('POST', `/api/teams/${ids.team}/members`, { userId: adminId, role: 'manager' });
    await asAdmin('POST', `/api/teams/${ids.team}/members`, { userId: bob.id });
    ids.schedule = (
      await asAdmin('POST', '/api/schedules', { teamId: ids.team, name: 'Payments primary', timeZone: 'UTC' })
    ).id;
    await asAdmin('POST', `/api/schedules/${ids.schedule}/layers`, {
      name: 'Weekly',
      startsAt: new Date(Date.now() - 86_400_000).toISOString(),
      turnUnit: 'weeks',
      turnLength: 1,
      participantIds: [adminId, bob.id],
    });
    const tomorrow = new Date(Date.now() + 86_400_000);
    await asAdmin('POST', `/api/schedules/${ids.schedule}/overrides`, {
      userId: bob.id,
      startsAt: tomorrow.toISOString(),
      endsAt: new Date(tomorrow.getTime() + 8 * 3_600_000).toISOString(),
      note: 'covering the release',
    });
    await asAdmin('POST', '/api/escalation-policies', {
      teamId: ids.team,
      name: 'Payments default',
      isDefault: true,
      levels: [
        { delayMinutes: 5, targets: [{ type: 'schedule', id: ids.schedule }] },
        { delayMinutes: 10, targets: [{ type: 'user', id: adminId }] },
      ],
    });
    await asAdmin('POST', '/api/routing-rules', {
      name: 'Payments by label',
      teamId: ids.team,
      matchers: [{ field: 'labels.team', op: 'equals', value: 'payments' }],
    });
    // Noise control the seeded alerts do not meet: an inhibition rule and a global event rule.
    await asAdmin('POST', '/api/inhibition-rules', {
      name: 'Site down hides its warnings',
      sourceMatchers: [{ name: 'alertname', value: 'SiteDown' }],
      targetMatchers: [{ name: 'severity', value: 'warning' }],
      equal: ['site'],
    });
    await asAdmin('POST', '/api/event-rules', {
      name: 'Staging is informational',
      matchers: [{ field: 'labels.env', op: 'equals', value: 'staging' }],
      actions: { severity: 'info' },
    });

    // An integration with accepted and rejected deliveries, alerts and an incident.
    const integration = await asAdmin('POST', '/api/integrations', { name: 'checkout-api', type: 'generic' });
    ids.integration = integration.id;
    const secret = integration.webhookSecret as string;
    const disk = await sendWebhook('checkout-api', secret, {
      title: 'Disk almost full on db-1',
      severity: 'critical',
      dedupKey: 'disk-db-1',
      description: 'The data volume of db-1 is 95% full.',
      labels: { host: 'db-1', env: 'production' },
    });
    expect(disk.status).toBe(202);
    ids.alert = ((await disk.json()) as { alerts: Array<{ id: string }> }).alerts[0]?.id ?? '';
    await sendWebhook('checkout-api', secret, { title: 'Disk almost full on db-1', dedupKey: 'disk-db-1' });
    const keyboard = await sendWebhook('checkout-api', secret, {
      title: 'Queue backlog growing',
      severity: 'warning',
      dedupKey: 'queue-backlog',
    });
    ids.keyboardAlert = ((await keyboard.json()) as { alerts: Array<{ id: string }> }).alerts[0]?.id ?? '';
    await sendWebhook('checkout-api', secret, { title: 'CPU high', severity: 'info', dedupKey: 'cpu' });
    const paging = await sendWebhook('checkout-api', secret, {
      title: 'Card payments failing',
      severity: 'critical',
      dedupKey: 'card-payments',
      labels: { team: 'payments' },
    });
    expect(paging.status).toBe(202);
    const forged = await sendWebhook('checkout-api', 'not-the-secret', { title: 'Forged alert' });
    expect(forged.status).toBe(401);
    const { incidents } = await asAdmin('GET', '/api/incidents');
    ids.incident = incidents[0].id;
    await asAdmin('POST', `/api/incidents/${ids.incident}/notes`, { text: 'Looking into the card processor' });

    browser = await launchChromium();
    const { context, page } = await newPage(LAPTOP);
    await signInWith(page, ADMIN);
    adminCookies = await context.cookies();
    await context.close();
  }, E2E_TIMEOUT);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  for (const [label, viewport] of [
    ['laptop', LAPTOP],
    ['phone', PHONE],
  ] as const) {
    it(
      `every signed-in page passes axe (WCAG A/AA, best practices), is titled and labels its fields, at ${label} width (${viewport.width}×${viewport.height})`,
      async () => {
        const { context, page } = await newPage(viewport);
        const found = findings();
        await signedIn(page);
        for (const consolePage of PAGES) {
          const where = `${consolePage.name} at ${label} width`;
          await page.goto(`${base}${consolePage.path()}`);
          await settle(page, consolePage.heading);
          await consolePage.shows(page);
          await found.axe(page, where);
          await found.labels(page, where);
          // The tab says which page this is (WCAG 2.4.2): its heading, then Klaxon.
          const heading = await page.getByRole('heading', { level: 1 }).first().innerText();
          await found.title(page, `${heading} · Klaxon`, where);
          if (label === 'phone') {
            await found.overflow(page, where);
            await found.spill(page, where);
            await page.evaluate(() => window.scrollTo(0, 0));
            await screenshot(page, `a11y-phone-${consolePage.name}`, { fullPage: true });
            // The navigation folds behind the Menu button, which opens it.
            const menu = page.getByRole('button', { name: 'Menu' });
            expect(await menu.isVisible(), `${where}: Menu button`).toBe(true);
            expect(await navLink(page, 'Profile').isVisible(), `${where}: navigation folded`).toBe(false);
            await menu.click();
            expect(await menu.getAttribute('aria-expanded')).toBe('true');
            await navLink(page, 'Profile').waitFor({ state: 'visible' });
            await page.getByRole('button', { name: 'Sign out' }).waitFor({ state: 'visible' });
            await found.axe(page, `${where} with the menu open`);
            await found.overflow(page, `${where} with the menu open`);
            await menu.click();
          }
          if (consolePage.open !== undefined) {
            await consolePage.open(page);
            await found.axe(page, `${where}, form open`);
            await found.labels(page, `${where}, form open`);
            if (label === 'phone') {
              await found.overflow(page, `${where}, form open`);
              await found.spill(page, `${where}, form open`);
              await screenshot(page, `a11y-phone-${consolePage.name}-form`, { fullPage: true });
            }
          }
        }
        found.assertNone();
        await context.close();
      },
      E2E_TIMEOUT * 2,
    );

    it(
      `the sign-in and set-password pages, and an API error, have no violations at ${label} width`,
      async () => {
        const { context, page } = await newPage(viewport);
        await page.goto(`${base}/`);
        await settle(page, /Sign in to Klaxon/);
        expect(await page.title()).toBe('Sign in to Klaxon');
        await expectNoViolations(page, `sign-in at ${label} width`);
        // The API's problem details, as the page shows them.
        await page.getByLabel('Email').fill(ADMIN.email);
        await page.getByLabel('Password').fill('not the password');
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.getByRole('alert').getByText('Email or password is incorrect').waitFor();
        await expectNoViolations(page, `sign-in with an error at ${label} width`);
        if (label === 'phone') {
          expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
          await screenshot(page, 'a11y-phone-sign-in');
        }

        const link = new URL(inviteUrl);
        await page.goto(`${base}${link.pathname}${link.hash}`);
        await settle(page, 'Choose your Klaxon password');
        expect(await page.title()).toBe('Choose your Klaxon password');
        await page.getByText('newcomer@example.com').waitFor();
        await expectNoViolations(page, `set-password at ${label} width`);
        await page.getByLabel('New password (at least 8 characters)').fill('one long password');
        await page.getByLabel('New password again').fill('another long password');
        await page.getByRole('button', { name: 'Set password' }).click();
        await page.getByText('The two passwords differ').waitFor();
        await expectNoViolations(page, `set-password with an error at ${label} width`);
        if (label === 'phone') {
          expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
          await screenshot(page, 'a11y-phone-set-password');
        }
        await context.close();
      },
      E2E_TIMEOUT,
    );
  }

  for (const viewport of [PHONE, { width: 320, height: 640 }]) {
    it(
      `the shown-once secrets (webhook secret, API key, invite link) and a delivery payload pass axe and fit at ${viewport.width} px`,
      async () => {
        const { context, page } = await newPage(viewport);
        const found = findings();
        const at = `at ${viewport.width} px`;
        await signedIn(page);
        await page.goto(`${base}/integrations`);
        await settle(page, 'Integrations');
        await page.getByRole('button', { name: 'New integration' }).click();
        await page.getByLabel('Name').fill(`a11y-${viewport.width}`);
        await page.getByLabel('Type').selectOption('generic');
        await page.getByRole('button', { name: 'Create integration' }).click();
        await page.getByLabel('Webhook secret').waitFor();
        await found.axe(page, `integration secret shown once ${at}`);
        await found.overflow(page, `integration secret shown once ${at}`);
        await found.spill(page, `integration secret shown once ${at}`);
        await screenshot(page, `a11y-${viewport.width}-integration-secret`);

        await page.goto(`${base}/api-keys`);
        await settle(page, 'API keys');
        await page.getByLabel('Name').fill(`a11y key ${viewport.width}`);
        await page.getByRole('button', { name: 'Create key' }).click();
        await page.getByRole('textbox', { name: 'API key', exact: true }).waitFor();
        await found.axe(page, `API key shown once ${at}`);
        await found.overflow(page, `API key shown once ${at}`);
        await found.spill(page, `API key shown once ${at}`);

        await page.goto(`${base}/users`);
        await settle(page, 'Users');
        await page.getByLabel('Email', { exact: true }).fill(`invited-${viewport.width}@example.com`);
        await page.getByRole('button', { name: 'Add user and create invite link' }).click();
        await page.getByLabel('Invite link', { exact: true }).waitFor();
        await found.axe(page, `invite link shown once ${at}`);
        await found.overflow(page, `invite link shown once ${at}`);
        await found.spill(page, `invite link shown once ${at}`);
        await screenshot(page, `a11y-${viewport.width}-invite-link`);

        await page.goto(`${base}/integrations/${ids.integration}`);
        await settle(page, 'checkout-api');
        const accepted = page.locator('[data-testid="delivery"].delivery-accepted').first();
        await accepted.locator('summary').click();
        await accepted.locator('pre').waitFor();
        await found.axe(page, `a delivery payload opened ${at}`);
        await found.overflow(page, `a delivery payload opened ${at}`);
        await found.spill(page, `a delivery payload opened ${at}`);
        found.assertNone();
        await context.close();
      },
      E2E_TIMEOUT,
    );
  }

  it(
    'a member’s read-only pages and the admin-only notice pass axe and fit at phone width',
    async () => {
      const { context, page } = await newPage(PHONE);
      const found = findings();
      await signInWith(page, BOB);
      const memberPages: Array<[string, string | RegExp, (page: Page) => Promise<void>]> = [
        ['/incidents', 'Incidents', (p) => p.getByTestId('incident-row').first().waitFor()],
        [`/incidents/${ids.incident}`, 'Card payments failing', (p) => p.getByTestId('incident-status').waitFor()],
        ['/schedules', 'Schedules', (p) => p.getByTestId('schedule-row').first().waitFor()],
        [`/schedules/${ids.schedule}`, 'Payments primary', (p) => p.locator('.calendar .segment').first().waitFor()],
        ['/escalation-policies', /Escalation/, (p) => p.getByTestId('policy').first().waitFor()],
        ['/teams', 'Teams', (p) => p.getByRole('link', { name: 'payments' }).waitFor()],
        [`/teams/${ids.team}`, 'payments', (p) => p.locator('main').getByText(BOB.email).first().waitFor()],
        ['/api-keys', 'API keys', (p) => p.getByText('bob laptop').first().waitFor()],
        ['/profile', 'My profile', (p) => p.getByTestId('contact-method').first().waitFor()],
        ['/integrations', 'Not available', (p) => p.getByText('This page is for platform admins').waitFor()],
      ];
      for (const [path, heading, shows] of memberPages) {
        await page.goto(`${base}${path}`);
        await settle(page, heading);
        await shows(page);
        await found.axe(page, `member ${path} at phone width`);
        await found.overflow(page, `member ${path} at phone width`);
        await found.spill(page, `member ${path} at phone width`);
      }
      found.assertNone();
      await context.close();
    },
    E2E_TIMEOUT,
  );

  it(
    'text hidden from assistive technology (the schedule timeline) still has AA contrast for the eye',
    async () => {
      const { context, page } = await newPage(LAPTOP);
      await signedIn(page);
      await page.goto(`${base}/schedules/${ids.schedule}`);
      await settle(page, 'Payments primary');
      await page.locator('.calendar .segment.override').first().waitFor();
      await injectAxe(page);
      // axe skips aria-hidden content, but WCAG 1.4.3 covers all visible text: judge the
      // timeline as if it were exposed.
      const violations = await page.evaluate(async () => {
        const calendar = document.querySelector('.calendar') as HTMLElement;
        calendar.removeAttribute('aria-hidden');
        const run = (window as unknown as { axe: typeof axe }).axe.run;
        try {
          const results = await run(calendar, { runOnly: { type: 'rule', values: ['color-contrast'] } });
          return {
            judged: results.passes.flatMap((pass) => pass.nodes).length,
            undecided: results.incomplete.flatMap((item) => item.nodes.map((node) => JSON.stringify(node.target))),
            violations: results.violations.map((violation) => ({
              id: violation.id,
              help: violation.help,
              nodes: violation.nodes.map((node) => ({ target: node.target, failureSummary: node.failureSummary })),
            })),
          };
        } finally {
          calendar.setAttribute('aria-hidden', 'true');
        }
      });
      const { judged, undecided, violations: failed } = violations;
      expect(failed, describeViolations('the schedule timeline', failed)).toEqual([]);
      // It did judge the timeline's text (day names, hours, who is on call); only the hatched
      // overrides are left undecided (axe does not judge text over a gradient)…
      expect(judged).toBeGreaterThan(10);
      expect(undecided.every((target) => target.includes('override'))).toBe(true);
      // …so they are judged here: the text against the darkest stripe laid over the person's colour.
      const overrides = await page.locator('.calendar .segment.override').evaluateAll((segments) =>
        segments.map((segment) => {
          const style = getComputedStyle(segment);
          const numbers = (color: string) => color.match(/[\d.]+/g)?.map(Number) ?? [];
          const [r = 0, g = 0, b = 0] = numbers(style.backgroundColor);
          const stripes = (style.backgroundImage.match(/rgba?\([^)]*\)/g) ?? []).map(numbers);
          const darkest = stripes.reduce(
            (worst, stripe) => ((stripe[3] ?? 1) > (worst[3] ?? 0) ? stripe : worst),
            [0, 0, 0, 0],
          );
          const alpha = darkest[3] ?? 1;
          const under = [r, g, b].map((channel, index) => channel * (1 - alpha) + (darkest[index] ?? 0) * alpha);
          const luminance = (rgb: number[]) => {
            const [lr = 0, lg = 0, lb = 0] = rgb.map((value) => {
              const c = value / 255;
              return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
            });
            return 0.2126 * lr + 0.7152 * lg + 0.0722 * lb;
          };
          const [light, dark] = [luminance(under), luminance(numbers(style.color))].sort((x, y) => y - x) as [
            number,
            number,
          ];
          return { text: segment.textContent, ratio: (light + 0.05) / (dark + 0.05) };
        }),
      );
      expect(overrides.length).toBeGreaterThan(0);
      for (const override of overrides)
        expect(override.ratio, `override "${override.text}"`).toBeGreaterThanOrEqual(4.5);
      await context.close();
    },
    E2E_TIMEOUT,
  );

  it(
    'filters alerts by team with a labelled list of team names (not a typed team id)',
    async () => {
      const { context, page } = await newPage(LAPTOP);
      await signedIn(page);
      await settle(page, 'Alerts');
      await page.getByRole('link', { name: 'CPU high' }).waitFor();
      await page.getByRole('combobox', { name: 'Team' }).selectOption({ label: 'payments' });
      await page.getByRole('link', { name: 'CPU high' }).waitFor({ state: 'detached' });
      await page.getByRole('link', { name: 'Card payments failing' }).waitFor();
      expect(new URL(page.url()).searchParams.get('teamId')).toBe(ids.team);
      await context.close();
    },
    E2E_TIMEOUT,
  );

  it(
    'at phone width the menu opens, is walked and closes (Escape) with the keyboard',
    async () => {
      const { context, page } = await newPage(PHONE);
      await signedIn(page);
      await settle(page, 'Alerts');
      const menu = page.getByRole('button', { name: 'Menu' });
      await menu.focus();
      await page.keyboard.press('Enter');
      expect(await menu.getAttribute('aria-expanded')).toBe('true');
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Alerts');
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Incidents');
      await page.keyboard.press('Escape');
      expect(await menu.getAttribute('aria-expanded')).toBe('false');
      expect(await navLink(page, 'Incidents').isVisible()).toBe(false);
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Menu');
      // And it opens again to follow a link by keyboard.
      await page.keyboard.press('Enter');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Enter');
      await settle(page, 'Incidents');
      expect(await navLink(page, 'Incidents').isVisible()).toBe(false);
      await context.close();
    },
    E2E_TIMEOUT,
  );

  it(
    'no page scrolls sideways at 320 CSS px, the width WCAG 1.4.10 (reflow) asks for',
    async () => {
      const { context, page } = await newPage({ width: 320, height: 640 });
      const found = findings();
      await page.goto(`${base}/`);
      await settle(page, /Sign in to Klaxon/);
      await found.overflow(page, 'sign-in at 320 px');
      await signedIn(page);
      for (const consolePage of PAGES) {
        await page.goto(`${base}${consolePage.path()}`);
        await settle(page, consolePage.heading);
        await consolePage.shows(page);
        await found.overflow(page, `${consolePage.name} at 320 px`);
        await found.spill(page, `${consolePage.name} at 320 px`);
        if (consolePage.open !== undefined) {
          await consolePage.open(page);
          await found.overflow(page, `${consolePage.name} at 320 px, form open`);
          await found.spill(page, `${consolePage.name} at 320 px, form open`);
        }
      }
      found.assertNone();
      await context.close();
    },
    E2E_TIMEOUT,
  );

  it(
    'with WCAG 1.4.12 text spacing at phone width, no page scrolls sideways and no control leaves its card',
    async () => {
      const { context, page } = await newPage(PHONE);
      const found = findings();
      await signedIn(page);
      for (const consolePage of PAGES) {
        await page.goto(`${base}${consolePage.path()}`);
        await settle(page, consolePage.heading);
        await consolePage.shows(page);
        // The spacing a reader may force with their own style sheet (a constructed sheet: the
        // console's CSP refuses inline <style>, not the CSSOM).
        await page.evaluate(() => {
          const sheet = new CSSStyleSheet();
          sheet.replaceSync(
            '* { line-height: 1.5 !important; letter-spacing: 0.12em !important; word-spacing: 0.16em !important; } p { margin-bottom: 2em !important; }',
          );
          document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
        });
        expect(await page.evaluate(() => getComputedStyle(document.body).letterSpacing)).not.toBe('normal');
        await found.overflow(page, `${consolePage.name} with text spacing`);
        await found.spill(page, `${consolePage.name} with text spacing`);
      }
      found.assertNone();
      await context.close();
    },
    E2E_TIMEOUT,
  );

  it(
    'at phone width tables are stacked cards that keep their table semantics in Chromium’s accessibility tree',
    async () => {
      const { context, page } = await newPage(PHONE);
      await signedIn(page);
      await page.goto(`${base}/alerts`);
      await settle(page, 'Alerts');
      const row = page.getByRole('row').filter({ hasText: 'Disk almost full on db-1' });
      await row.waitFor();
      // Stacked: the header row is visually hidden, each cell shows its column's name.
      expect(
        await page
          .locator('table tbody tr')
          .first()
          .evaluate((tr) => getComputedStyle(tr).display),
      ).toBe('block');
      const severity = row.locator('td[data-label="Severity"]');
      expect(await severity.evaluate((td) => getComputedStyle(td, '::before').content)).toContain('Severity');
      // What assistive technology gets: Chromium's own accessibility tree, not Playwright's guess.
      const cdp = await context.newCDPSession(page);
      const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as {
        nodes: Array<{ role?: { value?: string }; name?: { value?: string } }>;
      };
      const roles = nodes.map((node) => node.role?.value);
      expect(roles).toContain('table');
      expect(roles).toContain('columnheader');
      expect(roles.filter((role) => role === 'row').length).toBeGreaterThan(3);
      const cell = nodes.find((node) => node.role?.value === 'cell' && node.name?.value === 'critical');
      // The generated "Severity" label is not read out as part of the cell (the column header is).
      expect(cell?.name?.value).toBe('critical');
      await context.close();
    },
    E2E_TIMEOUT,
  );

  it(
    'every Tab stop on every page shows a focus ring of at least 2px and 3:1 contrast with what is behind it',
    async () => {
      const { context, page } = await newPage(LAPTOP);
      const problems: string[] = [];
      const walk = async (where: string) => {
        await page.evaluate(() => {
          (document.activeElement as HTMLElement | null)?.blur();
          window.scrollTo(0, 0);
        });
        let stops = 0;
        for (let presses = 0; presses < 200; presses++) {
          await page.keyboard.press('Tab');
          const ring = await page.evaluate(focusRingOfActiveElement);
          // Back at the start (focus left the document or wrapped to the first stop).
          if (ring === null || (stops > 0 && ring.first)) break;
          stops++;
          if (!ring.ok) problems.push(`${where}: ${ring.what} — ${ring.why}`);
        }
        if (stops === 0) problems.push(`${where}: Tab reached nothing`);
      };
      await page.goto(`${base}/`);
      await settle(page, /Sign in to Klaxon/);
      await walk('sign-in');
      await signedIn(page);
      for (const consolePage of PAGES) {
        await page.goto(`${base}${consolePage.path()}`);
        await settle(page, consolePage.heading);
        await consolePage.shows(page);
        await walk(consolePage.name);
      }
      expect(problems, problems.join('\n')).toEqual([]);
      await context.close();
    },
    E2E_TIMEOUT * 2,
  );

  it(
    'signs in, acknowledges and resolves an alert with the keyboard alone, with a visible focus ring',
    async () => {
      const { context, page } = await newPage(LAPTOP);
      await page.goto(`${base}/`);
      await settle(page, /Sign in to Klaxon/);

      /** Presses Tab until the focused element matches, and returns what it is. */
      const tabTo = async (matches: (focused: { tag: string; name: string }) => boolean, what: string) => {
        for (let presses = 0; presses < 80; presses++) {
          await page.keyboard.press('Tab');
          const focused = await page.evaluate(() => {
            const element = document.activeElement as HTMLElement | null;
            return {
              tag: element?.tagName.toLowerCase() ?? '',
              name: (element?.getAttribute('aria-label') ?? element?.textContent ?? '').trim(),
              id: element?.id ?? '',
            };
          });
          if (matches(focused)) return focused;
        }
        throw new Error(`Tab never reached ${what}`);
      };
      const focusRing = () =>
        page.evaluate(() => {
          const element = document.activeElement as HTMLElement;
          const style = getComputedStyle(element);
          return {
            focusVisible: element.matches(':focus-visible'),
            outline: style.outlineStyle !== 'none' && Number.parseFloat(style.outlineWidth) >= 2,
            boxShadow: style.boxShadow !== 'none',
          };
        });
      const expectFocusRing = async (what: string) => {
        const ring = await focusRing();
        expect(ring.focusVisible, `${what} matches :focus-visible`).toBe(true);
        expect(ring.outline || ring.boxShadow, `${what} shows a focus outline or shadow`).toBe(true);
      };

      await tabTo((focused) => focused.tag === 'input' && (focused as { id?: string }).id === 'email', 'Email');
      await expectFocusRing('the Email field');
      await page.keyboard.type(ADMIN.email);
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('password');
      await page.keyboard.type(ADMIN.password);
      await page.keyboard.press('Enter');
      // An admin lands on Alerts, with focus on the page's content (the sign-in form is gone).
      await settle(page, 'Alerts');
      await page.getByRole('link', { name: 'Queue backlog growing' }).waitFor();
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');

      // On a freshly loaded page the skip link is the first stop and moves focus to the content.
      await page.reload();
      await settle(page, 'Alerts');
      await page.getByRole('link', { name: 'Queue backlog growing' }).waitFor();
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
      await expectFocusRing('the skip link');
      expect(await page.getByRole('link', { name: 'Skip to content' }).isVisible()).toBe(true);
      await page.keyboard.press('Enter');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');

      await tabTo((focused) => focused.tag === 'a' && focused.name === 'Queue backlog growing', 'the alert');
      await expectFocusRing('the alert link');
      await page.keyboard.press('Enter');
      await settle(page, 'Queue backlog growing');
      expect(await page.getByTestId('alert-status').textContent()).toBe('firing');
      // The followed link is gone with the old page; focus went to the new page's content, not
      // back to the top of the document.
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
      expect(await page.title()).toBe('Queue backlog growing · Klaxon');

      await tabTo((focused) => focused.tag === 'button' && focused.name === 'Acknowledge', 'Acknowledge');
      await expectFocusRing('the Acknowledge button');
      await screenshot(page, 'a11y-keyboard-acknowledge');
      await page.keyboard.press('Enter');
      await page.getByTestId('alert-status').getByText('acknowledged').waitFor();
      expect((await asAdmin('GET', `/api/alerts/${ids.keyboardAlert}`)).status).toBe('acknowledged');
      await page.getByRole('status').getByText('Acknowledged.').waitFor();
      // The pressed button is disabled now; focus moves on to Resolve rather than back to the top.
      await page.waitForFunction(() => document.activeElement?.textContent === 'Resolve');
      await expectFocusRing('the Resolve button');
      await page.keyboard.press('Enter');
      await page.getByTestId('alert-status').getByText('resolved').waitFor();
      expect((await asAdmin('GET', `/api/alerts/${ids.keyboardAlert}`)).status).toBe('resolved');
      // With nothing left to do there, focus rests on the alert's title.
      await page.waitForFunction(() => document.activeElement?.id === 'alert-title');
      await context.close();
    },
    E2E_TIMEOUT,
  );
});

/**
 * A fresh Klaxon: every list starts empty, and each empty state must say what to do next (and
 * pass axe); an API error is shown as its problem+json title and detail.
 */
describe.skipIf(!hasChromium)('empty states and API errors in the console', () => {
  let fresh: TestApp;
  let freshBase: string;
  let freshKey: string;
  const MEMBER = { email: 'newbie@example.com', password: 'e2e newbie password' };

  const asFreshAdmin = async (method: string, url: string, body?: unknown) => {
    const response = await fetch(`${freshBase}${url}`, {
      method,
      headers: { authorization: `Bearer ${freshKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(body ?? {}),
    });
    if (!response.ok) throw new Error(`${method} ${url}: ${response.status} ${await response.text()}`);
    return response.json();
  };

  /** The empty state titled `title` is shown, and its text says what to do next. */
  const expectEmptyState = async (page: Page, title: string, next: RegExp, problems: string[], where: string) => {
    const empty = page.locator('.empty').filter({ has: page.locator('.empty-title', { hasText: title }) });
    await empty.first().waitFor();
    const text = (await empty.first().textContent()) ?? '';
    if (!next.test(text)) problems.push(`${where}: "${text}" does not say ${next}`);
    const violations = await axeViolations(page);
    if (violations.length > 0) problems.push(describeViolations(where, violations));
  };

  beforeAll(async () => {
    prepareConsole();
    fresh = await createTestApp();
    await fresh.app.listen({ port: 0, host: '127.0.0.1' });
    freshBase = `http://127.0.0.1:${(fresh.app.server.address() as AddressInfo).port}`;
    freshKey = (await fresh.services.bootstrapAdminService.bootstrap(ADMIN)).apiKey;
    const member = await fresh.services.usersService.create({ email: MEMBER.email }, null);
    await fresh.services.sessionsService.setPassword({ userId: member.id }, MEMBER.password, null);
    // The first suite closed its browser.
    browser = await launchChromium();
  }, E2E_TIMEOUT);

  afterAll(async () => {
    await browser?.close();
    await fresh?.close();
  });

  it(
    'every empty list says what to do next, for an admin and for a member without a team',
    async () => {
      const problems: string[] = [];
      const { context, page } = await newPage(LAPTOP);
      const visit = async (path: string, heading: string | RegExp) => {
        await page.goto(`${freshBase}${path}`);
        await settle(page, heading);
      };
      await page.goto(`${freshBase}/`);
      await page.getByLabel('Email').fill(ADMIN.email);
      await page.getByLabel('Password').fill(ADMIN.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('banner').waitFor();

      const admin: Array<[string, string | RegExp, string, RegExp]> = [
        ['/alerts', 'Alerts', 'No alerts yet', /Send test alert/],
        ['/alerts?status=resolved', 'Alerts', 'No alerts match these filters', /show all alerts/],
        ['/integrations', 'Integrations', 'No integrations yet', /Create one/],
        ['/incidents', 'Incidents', 'No incidents yet', /escalation policy/],
        ['/schedules', 'Schedules', 'No teams yet', /Create a team/],
        ['/escalation-policies', /Escalation/, 'No teams yet', /Create a team/],
        ['/teams', 'Teams', 'No teams yet', /Create a team above/],
        ['/routing', /Routing/, 'No teams yet', /Create a team/],
        ['/profile', 'My profile', 'No contact method yet', /Add an email address/],
        ['/profile', 'My profile', 'Nothing sent yet', /appears here/],
      ];
      for (const [path, heading, title, next] of admin) {
        await visit(path, heading);
        await expectEmptyState(page, title, next, problems, `${path} (${title})`);
      }
      await visit('/audit', 'Audit log');
      await page.getByLabel('Resource id').fill('00000000-0000-7000-8000-000000000000');
      await page.getByRole('button', { name: 'Apply filters' }).click();
      await expectEmptyState(page, 'No audit entries match these filters', /back to “any”/, problems, '/audit');

      // With a team, an integration and a schedule that are still empty.
      const team = await asFreshAdmin('POST', '/api/teams', { name: 'search' });
      const integration = await asFreshAdmin('POST', '/api/integrations', { name: 'search-api', type: 'generic' });
      const schedule = await asFreshAdmin('POST', '/api/schedules', {
        teamId: team.id,
        name: 'Search primary',
        timeZone: 'UTC',
      });
      const withData: Array<[string, string | RegExp, string, RegExp]> = [
        [`/teams/${team.id}`, 'search', 'No members yet', /Add people above/],
        ['/routing', /Routing/, 'No routing rules yet', /Add a rule/],
        [`/integrations/${integration.id}`, 'search-api', 'No deliveries yet', /Send test alert/],
        [`/schedules/${schedule.id}`, 'Search primary', 'Nobody is on call in these days', /Add a rotation/],
        ['/escalation-policies', /Escalation/, 'This team has no escalation policy', /New policy/],
      ];
      for (const [path, heading, title, next] of withData) {
        await visit(path, heading);
        await expectEmptyState(page, title, next, problems, `${path} (${title})`);
      }
      // A team without a schedule says so in its card on the Schedules page.
      await asFreshAdmin('POST', '/api/teams', { name: 'billing' });
      await visit('/schedules', 'Schedules');
      await page.getByText('No schedule yet: nobody is on call for billing. Create one above.').waitFor();

      // A member in no team, with no API key.
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByLabel('Email').fill(MEMBER.email);
      await page.getByLabel('Password').fill(MEMBER.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('banner').waitFor();
      const member: Array<[string, string | RegExp, string, RegExp]> = [
        ['/api-keys', 'API keys', 'No API keys yet', /Create one above/],
        ['/teams', 'Teams', 'You are not in a team yet', /Ask a platform admin/],
        ['/schedules', 'Schedules', 'You are not in a team yet', /Ask a platform admin/],
        ['/escalation-policies', /Escalation/, 'You are not in a team yet', /Ask a platform admin/],
      ];
      for (const [path, heading, title, next] of member) {
        await visit(path, heading);
        await expectEmptyState(page, title, next, problems, `member ${path} (${title})`);
      }
      expect(problems, problems.join('\n')).toEqual([]);
      await context.close();
    },
    E2E_TIMEOUT,
  );

  it(
    'shows an API error as its problem title and detail, announced and without axe violations',
    async () => {
      const { context, page } = await newPage(PHONE);
      await page.goto(`${freshBase}/`);
      await page.getByLabel('Email').fill(ADMIN.email);
      await page.getByLabel('Password').fill(ADMIN.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('banner').waitFor();
      await page.goto(`${freshBase}/integrations`);
      await settle(page, 'Integrations');
      await page.getByRole('button', { name: 'New integration' }).click();
      await page.getByLabel('Name').fill('search-api');
      await page.getByRole('button', { name: 'Create integration' }).click();
      const problem = page.getByRole('alert');
      await problem.getByText('Integration name already exists', { exact: true }).waitFor();
      await problem.getByText('An integration named "search-api" already exists').waitFor();
      const violations = await axeViolations(page);
      expect(violations, describeViolations('integrations with a 409 problem at phone width', violations)).toEqual([]);
      expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
      await screenshot(page, 'a11y-phone-api-error');
      await context.close();
    },
    E2E_TIMEOUT,
  );
});
