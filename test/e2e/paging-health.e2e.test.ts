import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../helpers/app.js';
import { createPersonWithPassword } from './helpers/api.js';
import {
  closeConsole,
  E2E_TIMEOUT,
  hasChromium,
  openSignedIn,
  screenshot,
  serveSeededConsole,
} from './helpers/browser.js';

/** A team manager sees what would stop a page, follows the link to fix it, and the problem clears. */
const MANAGER = { email: 'lead@example.com', password: 'e2e paging health' };

let t: TestApp;
let base: string;
let browser: Browser;

describe.skipIf(!hasChromium)('paging health in headless Chromium', () => {
  beforeAll(async () => {
    ({ t, base, browser } = await serveSeededConsole(async (app) => {
      const admin = await app.createAdmin();
      const lead = await createPersonWithPassword(app, { ...MANAGER, name: 'Lee Lead' });
      const team = (
        await app.request({ method: 'POST', url: '/api/teams', key: admin.apiKey, body: { name: 'storage' } })
      ).json();
      await app.request({
        method: 'POST',
        url: `/api/teams/${team.id}/members`,
        key: admin.apiKey,
        body: { userId: lead.id, role: 'manager' },
      });
    }));
  }, E2E_TIMEOUT);

  afterAll(() => closeConsole(browser, t));

  it(
    'a manager sees the banner, the team without an escalation policy, fixes it, and it clears',
    async () => {
      const { context, page } = await openSignedIn(browser, base, MANAGER);
      await page.getByTestId('paging-health-banner').getByRole('link', { name: 'See paging health' }).click();
      await page.getByRole('heading', { name: 'Paging health' }).waitFor();
      const problem = page
        .getByTestId('paging-problem')
        .filter({ hasText: 'storage has no default escalation policy' });
      await problem.waitFor();
      await screenshot(page, 'paging-health');
      await problem.getByRole('link', { name: 'Fix it' }).click();

      // Fixed through the API as the manager's console would (the policy editor has its own tests).
      const me = await page.evaluate(async () => (await fetch('/api/auth/me')).json());
      const teams = await page.evaluate(async () => (await fetch('/api/teams')).json());
      const created = await page.evaluate(
        async ({ csrf, teamId, userId }) =>
          (
            await fetch('/api/escalation-policies', {
              method: 'POST',
              headers: { 'content-type': 'application/json', 'x-klaxon-csrf': csrf },
              body: JSON.stringify({
                teamId,
                name: 'default',
                isDefault: true,
                levels: [{ delayMinutes: 5, targets: [{ type: 'user', id: userId }] }],
              }),
            })
          ).status,
        { csrf: me.csrfToken as string, teamId: teams.teams[0].id as string, userId: me.id as string },
      );
      expect(created).toBe(201);
      await page.goto(`${base}/paging-health`);
      await page.getByText('Nothing stops a page').waitFor();
      await page.goto(`${base}/incidents`);
      await page.getByRole('heading', { name: 'Incidents' }).waitFor();
      expect(await page.getByTestId('paging-health-banner').count()).toBe(0);
      await context.close();
    },
    E2E_TIMEOUT,
  );
});
