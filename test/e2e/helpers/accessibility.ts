import axe from 'axe-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../helpers/app.js';
import { hmacHex } from '../../helpers/webhooks.js';
import { callApi } from './api.js';
import { E2E_TIMEOUT, launchChromium, listenOnLoopback, navLink, prepareConsole, screenshot } from './browser.js';

/**
 * What the accessibility suites share (issue 9's "accessible, usable on a laptop and a phone
 * width"): the seeded console, axe-core run in the page, and the checks of fit, labels and focus.
 * The suites are split by what they walk (test/e2e/accessibility*.e2e.test.ts) so they run in
 * parallel; each file seeds its own server and browser (module state here is per test file).
 */
export const ADMIN = { email: 'ops-lead@example.com', password: 'e2e a11y password', name: 'Ops Lead' };
export const BOB = { email: 'bob@example.com', password: 'e2e member password', name: 'Bob Builder' };
export const LAPTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };
/** WCAG 2.0, 2.1 and 2.2 A and AA rules, plus axe's best practices (landmarks, heading order, one h1). */
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

export let t: TestApp;
export let base: string;
export let adminKey: string;
export let browser: Browser;
/** Ids of the seeded resources the detail pages show. */
export const ids = {
  integration: '',
  alert: '',
  keyboardAlert: '',
  incident: '',
  schedule: '',
  team: '',
  bob: '',
  invitee: '',
};
export let inviteUrl = '';

export function asAdmin(method: string, url: string, body?: unknown) {
  return callApi(t, adminKey, method, url, body);
}

export async function sendWebhook(name: string, secret: string, payload: unknown): Promise<Response> {
  const body = JSON.stringify(payload);
  return fetch(`${base}/webhooks/alerts/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-webhook-signature': hmacHex(secret, body) },
    body,
  });
}

export interface Violation {
  id: string;
  impact?: string | null;
  help: string;
  nodes: Array<{ target: unknown[]; failureSummary?: string }>;
}

export async function injectAxe(page: Page): Promise<void> {
  const loaded = await page.evaluate(() => 'axe' in window);
  if (!loaded) await page.evaluate(axe.source);
}

/** Runs axe-core in the page (evaluated over CDP, so the console's CSP does not block it). */
export async function axeViolations(page: Page): Promise<Violation[]> {
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

export function describeViolations(where: string, violations: Violation[]): string {
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

export async function expectNoViolations(page: Page, where: string): Promise<void> {
  const violations = await axeViolations(page);
  expect(violations, describeViolations(where, violations)).toEqual([]);
}

/**
 * Checks many pages, and fails once at the end listing every page's violations and overflows,
 * so one run shows all that is wrong rather than the first page's.
 */
export function findings() {
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

export async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}

/** Waits until the page has drawn its data: the named heading is shown and nothing is still loading. */
export async function settle(page: Page, heading: string | RegExp): Promise<void> {
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
export function focusRingOfActiveElement() {
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

export interface ConsolePage {
  name: string;
  path: () => string;
  heading: string | RegExp;
  /** Something of the seeded data this page must show, so it is checked full, not empty. */
  shows: (page: Page) => Promise<void>;
  /** Optionally opens a form or editor before checking, so its fields are checked too. */
  open?: (page: Page) => Promise<void>;
}

export const PAGES: ConsolePage[] = [
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

export async function signInWith(page: Page, user: { email: string; password: string }): Promise<void> {
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
export let adminCookies: Awaited<ReturnType<BrowserContext['cookies']>> = [];

export async function signedIn(page: Page): Promise<void> {
  await page.context().addCookies(adminCookies);
  await page.goto(`${base}/`);
  await page.getByRole('banner').waitFor();
}

export async function newPage(viewport: {
  width: number;
  height: number;
}): Promise<{ context: BrowserContext; page: Page }> {
  const phone = viewport.width < 600;
  const context = await browser.newContext({ viewport, ...(phone ? { isMobile: true, hasTouch: true } : {}) });
  context.setDefaultTimeout(30_000);
  const page = await context.newPage();
  return { context, page };
}

/** Seeds a listening Klaxon with data on every page and signs the admin in once, before the file's tests. */
export function seedConsole(): void {
  beforeAll(async () => {
    prepareConsole();
    t = await createTestApp();
    base = await listenOnLoopback(t);
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
}

/** For a suite with a server of its own (the empty console): the shared browser, launched and closed. */
export async function launchBrowser(): Promise<void> {
  browser = await launchChromium();
}

export async function closeBrowser(): Promise<void> {
  await browser?.close();
}

/** Registers the walk of every signed-in page at one width: axe, title, labels and, on a phone, fit and the menu. */
export function itChecksEverySignedInPage(label: 'laptop' | 'phone', viewport: { width: number; height: number }) {
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
}
