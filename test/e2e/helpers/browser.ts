import { existsSync, mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { createTestApp, type TestApp, type TestAppOptions } from '../../helpers/app.js';
import { buildIfStale } from '../../helpers/build-once.js';

/**
 * Shared setup of the console end-to-end suites: Debian's /usr/bin/chromium driven by
 * playwright-core, the console built into web/dist, a screenshot of every main page.
 */
export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) {
  console.warn(
    `e2e: ${CHROMIUM} is missing, so the console end-to-end tests are skipped (apt-get install -y chromium)`,
  );
}

/**
 * Screenshots are test artifacts under test-results/screenshots/, so a test run leaves the
 * working tree clean; `npm run screenshots` (KLAXON_UPDATE_SCREENSHOTS=1) refreshes the copies
 * the docs show.
 */
export const SCREENSHOTS = fileURLToPath(
  new URL(
    process.env.KLAXON_UPDATE_SCREENSHOTS === '1' ? '../../../docs/screenshots/' : '../../../test-results/screenshots/',
    import.meta.url,
  ),
);
/** Generous: the console suites run in parallel with other files, and a loaded machine stretches them. */
export const E2E_TIMEOUT = 180_000;

/** Builds web/dist unless it is up to date with web/src, and makes sure the screenshot folder does. */
export function prepareConsole(): void {
  mkdirSync(SCREENSHOTS, { recursive: true });
  buildIfStale('build-web.mjs');
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Serves the test app on a free loopback port; returns its base URL. */
export async function listenOnLoopback(t: TestApp): Promise<string> {
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
}

/** The set-up every console suite repeats: the app served on a free port, and Chromium launched meanwhile. */
export async function serveToBrowser(t: TestApp): Promise<{ base: string; browser: Browser }> {
  const [base, browser] = await Promise.all([listenOnLoopback(t), launchChromium()]);
  return { base, browser };
}

/**
 * A console suite's set-up, for its beforeAll: the console built, a test app seeded by `seed`
 * (before anyone can load a page), then served, with Chromium launched meanwhile.
 */
export async function serveSeededConsole(
  seed: (t: TestApp) => Promise<unknown>,
  options: TestAppOptions = {},
): Promise<{ t: TestApp; base: string; browser: Browser }> {
  prepareConsole();
  const t = await createTestApp(options);
  try {
    await seed(t);
    return { t, ...(await serveToBrowser(t)) };
  } catch (error) {
    await t.close();
    throw error;
  }
}

/** Its afterAll: either may be missing when the set-up failed part-way. */
export async function closeConsole(browser: Browser | undefined, t: TestApp | undefined): Promise<void> {
  await browser?.close();
  await t?.close();
}

export async function screenshot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<void> {
  await page.screenshot({ path: `${SCREENSHOTS}${name}.png`, fullPage: options.fullPage ?? false });
}

export function navLink(page: Page, name: string) {
  return page.getByRole('navigation', { name: 'Primary' }).getByRole('link', { name, exact: true });
}

export async function signIn(page: Page, base: string, user: { email: string; password: string }): Promise<void> {
  await page.goto(`${base}/`);
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  // The signed-in layout's top bar (at phone width Sign out hides behind the Menu button).
  await page.getByRole('banner').waitFor();
}

/** A fresh browser context (its own cookies) at laptop width, signed in as `user` through the form. */
export async function openSignedIn(
  browser: Browser,
  base: string,
  user: { email: string; password: string },
  viewport = { width: 1280, height: 820 },
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport });
  context.setDefaultTimeout(30_000);
  const page = await context.newPage();
  await signIn(page, base, user);
  return { context, page };
}
