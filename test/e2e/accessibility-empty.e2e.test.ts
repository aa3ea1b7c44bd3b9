import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import {
  ADMIN,
  axeViolations,
  closeBrowser,
  describeViolations,
  horizontalOverflow,
  LAPTOP,
  launchBrowser,
  newPage,
  PHONE,
  settle,
} from './helpers/accessibility.js';
import { createPersonWithPassword } from './helpers/api.js';
import { E2E_TIMEOUT, hasChromium, listenOnLoopback, prepareConsole, screenshot } from './helpers/browser.js';

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
    freshBase = await listenOnLoopback(fresh);
    freshKey = (await fresh.services.bootstrapAdminService.bootstrap(ADMIN)).apiKey;
    await createPersonWithPassword(fresh, MEMBER);
    await launchBrowser();
  }, E2E_TIMEOUT);

  afterAll(async () => {
    await closeBrowser();
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
