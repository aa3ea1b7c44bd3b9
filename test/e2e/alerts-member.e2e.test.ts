import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../helpers/app.js';
import { createIntegration, sendSigned } from '../helpers/webhooks.js';
import { callApi, createPersonWithPassword } from './helpers/api.js';
import {
  closeConsole,
  E2E_TIMEOUT,
  hasChromium,
  navLink,
  openSignedIn,
  screenshot,
  serveSeededConsole,
} from './helpers/browser.js';

/** The person on call (a team member, not an admin) opens the alert behind their incident. */
const ADMIN = { email: 'alerts-admin@example.com', password: 'e2e alerts admin' };
const MEMBER = { email: 'oncall@example.com', password: 'e2e on call member' };

let t: TestApp;
let base: string;
let browser: Browser;

describe.skipIf(!hasChromium)('alerts for team members in headless Chromium', () => {
  beforeAll(async () => {
    ({ t, base, browser } = await serveSeededConsole(async (app) => {
      const admin = await app.services.bootstrapAdminService.bootstrap({
        email: ADMIN.email,
        password: ADMIN.password,
      });
      const member = await createPersonWithPassword(app, { ...MEMBER, name: 'Olive Oncall' });
      const as = (method: string, url: string, body?: unknown) => callApi(app, admin.apiKey, method, url, body);
      const team = await as('POST', '/api/teams', { name: 'storage' });
      await as('POST', `/api/teams/${team.id}/members`, { userId: member.id });
      await as('POST', '/api/routing-rules', {
        name: 'storage',
        teamId: team.id,
        matchers: [{ field: 'labels.team', op: 'equals', value: 'storage' }],
      });
      const integration = await createIntegration(app, admin.apiKey, { name: 'prometheus', type: 'generic' });
      await sendSigned(app, integration, {
        title: 'Disk full on db-1',
        description: 'Only 2% of /var/lib/postgresql left',
        severity: 'critical',
        source: 'db-1',
        labels: { team: 'storage', host: 'db-1' },
        links: [{ href: 'https://grafana.example.com/d/disk', text: 'Disk dashboard' }],
      });
      await sendSigned(app, integration, { title: 'Stray alert', labels: { team: 'search', env: 'prod' } });
    }));
  }, E2E_TIMEOUT);

  afterAll(() => closeConsole(browser, t));

  it(
    'a member goes from their incident to its alert, with team, labels, links and payload, and back',
    async () => {
      const { context, page } = await openSignedIn(browser, base, MEMBER);
      await page.getByRole('heading', { name: 'Incidents' }).waitFor();
      await page.getByRole('link', { name: 'Disk full on db-1' }).click();
      await page.getByRole('heading', { name: 'Disk full on db-1' }).waitFor();
      const incidentUrl = page.url();
      await page.getByRole('main').getByRole('link', { name: 'Disk full on db-1' }).click();

      await page.getByTestId('alert-status').waitFor();
      await page.getByText('Only 2% of /var/lib/postgresql left', { exact: true }).waitFor();
      await page.getByText('host=db-1', { exact: true }).waitFor();
      await page.getByRole('link', { name: 'Disk dashboard' }).waitFor();
      await page.getByRole('link', { name: 'storage', exact: true }).waitFor();
      const payload = await page
        .getByRole('region', { name: 'Payload' })
        .or(page.locator('pre.code'))
        .first()
        .textContent();
      expect(payload).toContain('"host": "db-1"');
      await screenshot(page, 'member-alert-detail', { fullPage: true });
      await page.getByRole('main').getByRole('link', { name: 'Disk full on db-1' }).click();
      await page.waitForURL(incidentUrl);

      // The list: the member's team's alerts only, with a Team column.
      await navLink(page, 'Alerts').click();
      const row = page.getByTestId('alert-row');
      await row.first().waitFor();
      expect(await row.count()).toBe(1);
      expect(await row.first().textContent()).toContain('storage');
      await context.close();
    },
    E2E_TIMEOUT,
  );

  it(
    'an admin sees an alert that reached no team, and opens the dry-run filled in with it',
    async () => {
      const { context, page } = await openSignedIn(browser, base, ADMIN);
      await page.getByRole('heading', { name: 'Alerts' }).waitFor();
      await page.getByTestId('alert-row').filter({ hasText: 'Stray alert' }).getByText('reached no team').waitFor();
      await page.getByLabel('Team').selectOption({ label: 'storage' });
      await page.getByTestId('alert-row').filter({ hasText: 'Stray alert' }).waitFor({ state: 'detached' });
      await page.getByLabel('Team').selectOption({ label: 'any' });
      await page.getByRole('link', { name: 'Stray alert' }).click();
      await page.getByText('No routing rule sent it to a team').waitFor();
      await page.getByRole('link', { name: 'Try it in the routing dry-run' }).click();
      await page.getByRole('heading', { name: 'Dry-run' }).waitFor();
      expect(await page.getByLabel('Title', { exact: true }).inputValue()).toBe('Stray alert');
      const labels = (await page.getByLabel('Labels, one name=value per line').inputValue()).split('\n');
      expect(labels.sort()).toEqual(['env=prod', 'team=search']);
      await page.getByRole('button', { name: 'Run dry-run' }).click();
      await page.getByText('Lands on no team').waitFor();
      await context.close();
    },
    E2E_TIMEOUT,
  );
});
