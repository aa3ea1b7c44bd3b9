import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../helpers/app.js';
import { callApi, createPersonWithPassword } from './helpers/api.js';
import {
  closeConsole,
  E2E_TIMEOUT,
  hasChromium,
  openSignedIn,
  screenshot,
  serveSeededConsole,
} from './helpers/browser.js';

/**
 * A team's manager (not an admin) runs the team's membership in the console; the audit log then
 * names who did what to whom; and the admin's top bar stays one line at 1280 px with the role shown.
 */
const ADMIN = { email: 'teams-admin@example.com', password: 'e2e teams admin' };
const MANAGER = { email: 'manager@example.com', password: 'e2e team manager' };

let t: TestApp;
let base: string;
let browser: Browser;
let teamId = '';

async function open(who: { email: string; password: string }): Promise<Page> {
  return (await openSignedIn(browser, base, who, { width: 1280, height: 800 })).page;
}

describe.skipIf(!hasChromium)('team management and the audit log in headless Chromium', () => {
  beforeAll(async () => {
    ({ t, base, browser } = await serveSeededConsole(async (app) => {
      const admin = await app.services.bootstrapAdminService.bootstrap({
        email: ADMIN.email,
        password: ADMIN.password,
      });
      const manager = await createPersonWithPassword(app, { ...MANAGER, name: 'Mona Manager' });
      await app.services.usersService.create({ email: 'nina@example.com', name: 'Nina Newcomer' }, null);
      const as = (method: string, url: string, body?: unknown) => callApi(app, admin.apiKey, method, url, body);
      teamId = (await as('POST', '/api/teams', { name: 'storage' })).id;
      await as('POST', `/api/teams/${teamId}/members`, { userId: manager.id, role: 'manager' });
      await as('POST', '/api/schedules', { teamId, name: 'Storage primary', timeZone: 'UTC' });
    }));
  }, E2E_TIMEOUT);

  afterAll(() => closeConsole(browser, t));

  it(
    'a manager adds a member, changes their role and removes them; the team page links to its schedules',
    async () => {
      const page = await open(MANAGER);
      await page.goto(`${base}/teams/${teamId}`);
      await page.getByRole('heading', { name: 'storage', level: 1 }).waitFor();
      await page.getByRole('link', { name: 'Storage primary' }).waitFor();

      await page.getByLabel('Person').selectOption({ label: 'Nina Newcomer <nina@example.com>' });
      await page.getByRole('button', { name: 'Add member' }).click();
      const row = page.getByRole('row', { name: /Nina Newcomer/ });
      await row.waitFor();
      await screenshot(page, 'team-manager');

      await page.getByLabel('Role of Nina Newcomer <nina@example.com>').selectOption('manager');
      await expect
        .poll(async () => page.getByLabel('Role of Nina Newcomer <nina@example.com>').inputValue())
        .toBe('manager');
      await page.getByRole('button', { name: 'Remove Nina Newcomer <nina@example.com>' }).click();
      await row.waitFor({ state: 'detached' });
      await page.context().close();
    },
    E2E_TIMEOUT,
  );

  it(
    'the audit log names the manager and the member instead of ids, and shows the role change',
    async () => {
      const page = await open(ADMIN);
      await page.goto(`${base}/audit`);
      await page.getByRole('heading', { name: 'Audit log' }).waitFor();
      await page.getByLabel('Action').selectOption('team.member_role_changed');
      await page.getByRole('button', { name: 'Apply filters' }).click();
      const entry = page.getByRole('row', { name: /team\.member_role_changed/ });
      await entry.getByText('Mona Manager <manager@example.com>').waitFor();
      await entry.getByText('Nina Newcomer <nina@example.com>').waitFor();
      await entry.getByText('member', { exact: true }).waitFor();
      await entry.getByText('manager', { exact: true }).waitFor();
      await page.getByLabel('Action').selectOption('');
      await page.getByLabel('By').selectOption({ label: 'Mona Manager <manager@example.com>' });
      await page.getByRole('button', { name: 'Apply filters' }).click();
      await page.getByRole('row', { name: /team\.member_removed/ }).waitFor();
      await screenshot(page, 'audit-readable');
      await page.context().close();
    },
    E2E_TIMEOUT,
  );

  for (const stream of ['live', 'reconnecting'] as const) {
    it(
      `at 1280×800 the admin's top bar is one line and shows the role (updates ${stream})`,
      async () => {
        const page = await open(ADMIN);
        // Without the update stream the status says "reconnecting": the bar must not grow a line.
        if (stream === 'reconnecting') await page.route('**/api/events/stream', (route) => route.abort());
        await page.goto(`${base}/alerts`);
        const bar = page.getByRole('banner');
        await bar.getByText('admin', { exact: true }).waitFor();
        await bar.getByText(stream === 'live' ? '● live' : '○ reconnecting').waitFor();
        const box = await bar.boundingBox();
        // The vertical centre of every visible thing in the bar: one line when they all line up.
        const tops = await bar.locator('a, button, .account > *').evaluateAll((elements) =>
          elements
            .map((element) => element.getBoundingClientRect())
            .filter((rect) => rect.width > 0 && rect.height > 0)
            .map((rect) => Math.round(rect.top + rect.height / 2)),
        );
        const right = await bar.locator('.account').evaluate((element) => element.getBoundingClientRect().right);
        expect(Math.max(...tops) - Math.min(...tops)).toBeLessThanOrEqual(4);
        expect(right).toBeLessThanOrEqual(1280);
        expect(box?.height ?? 0).toBeLessThan(64);
        await page.context().close();
      },
      E2E_TIMEOUT,
    );
  }
});
