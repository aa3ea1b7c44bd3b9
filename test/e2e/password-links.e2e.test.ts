import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../helpers/app.js';
import {
  closeConsole,
  E2E_TIMEOUT,
  hasChromium,
  navLink,
  openSignedIn,
  screenshot,
  serveSeededConsole,
} from './helpers/browser.js';

/**
 * How a person gets their first password: an admin adds them and copies the invite link the
 * console shows once; the person opens it in their own browser, chooses a password, signs in.
 */
const ADMIN = { email: 'ops-lead@example.com', password: 'e2e links password' };
const NEWCOMER = { email: 'newcomer@example.com', password: 'my own secret words' };

let t: TestApp;
let base: string;
let browser: Browser;

/** The link points at KLAXON_PUBLIC_URL; this test's server listens on another port. */
function onThisServer(link: string): string {
  const url = new URL(link);
  return `${base}${url.pathname}${url.hash}`;
}

describe.skipIf(!hasChromium)('invite links in headless Chromium', () => {
  beforeAll(async () => {
    ({ t, base, browser } = await serveSeededConsole(async (app) => {
      await app.services.bootstrapAdminService.bootstrap({ email: ADMIN.email, password: ADMIN.password });
    }));
  }, E2E_TIMEOUT);

  afterAll(() => closeConsole(browser, t));

  it(
    'an admin invites a new user, who sets their own password with the link and signs in',
    async () => {
      const { context: adminContext, page: admin } = await openSignedIn(browser, base, ADMIN);
      await navLink(admin, 'Users').click();
      await admin.getByLabel('Email', { exact: true }).fill(NEWCOMER.email);
      await admin.getByRole('button', { name: 'Add user and create invite link' }).click();
      await admin.getByText(`${NEWCOMER.email} was added`).waitFor();
      await admin.getByText('It is shown only this once').waitFor();
      const link = await admin.getByLabel('Invite link', { exact: true }).inputValue();
      expect(link).toMatch(/\/set-password#token=[A-Za-z0-9_-]{43}$/);
      await screenshot(admin, 'users-invite-link');

      // The newcomer, in a browser of their own, at phone width.
      const phone = await browser.newContext({ viewport: { width: 390, height: 780 }, isMobile: true, hasTouch: true });
      phone.setDefaultTimeout(30_000);
      const newcomer: Page = await phone.newPage();
      await newcomer.goto(onThisServer(link));
      await newcomer.getByRole('heading', { name: 'Choose your Klaxon password' }).waitFor();
      await newcomer.getByText(NEWCOMER.email).waitFor();
      const overflow = await newcomer.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      await newcomer.getByLabel('New password (at least 8 characters)').fill(NEWCOMER.password);
      await newcomer.getByLabel('New password again').fill('a different password');
      await newcomer.getByRole('button', { name: 'Set password' }).click();
      await newcomer.getByText('The two passwords differ').waitFor();
      await newcomer.getByLabel('New password again').fill(NEWCOMER.password);
      await screenshot(newcomer, 'phone-set-password');
      await newcomer.getByRole('button', { name: 'Set password' }).click();

      await newcomer.getByText('Your password is set. Sign in with it now.').waitFor();
      expect(await newcomer.getByLabel('Email').inputValue()).toBe(NEWCOMER.email);
      await newcomer.getByLabel('Password').fill(NEWCOMER.password);
      await newcomer.getByRole('button', { name: 'Sign in' }).click();
      await newcomer.getByRole('banner').waitFor();
      await newcomer.getByRole('button', { name: 'Menu' }).waitFor();

      // The link worked once; opened again it says so, as the API's problem details.
      const again = await phone.newPage();
      await again.goto(onThisServer(link));
      await again.getByRole('alert').getByText('This password link has expired or was already used').waitFor();
      await again.getByText('This link was already used; ask an admin for a new one').waitFor();
      await phone.close();
      await adminContext.close();
    },
    E2E_TIMEOUT,
  );
});
