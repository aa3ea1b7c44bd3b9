import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerProcess, startServer } from '../helpers/server-process.js';
import { E2E_TIMEOUT, hasChromium, launchChromium, prepareConsole, screenshot } from './helpers/browser.js';

/**
 * A newcomer's first run: `npm start` on an empty data directory prints a setup link; the
 * browser gets from that link to a signed-in admin with no other command.
 */
const dataDir = mkdtempSync(join(tmpdir(), 'klaxon-e2e-first-run-'));
let server: ServerProcess;
let browser: Browser;

async function setupUrlOf(process: ServerProcess): Promise<string> {
  for (;;) {
    const match = /"setupUrl":"([^"]+)"/.exec(process.output());
    if (match?.[1]) return match[1];
    await new Promise((resolve) => process.child.stdout?.once('data', resolve));
  }
}

describe.skipIf(!hasChromium)('first run in headless Chromium', () => {
  beforeAll(async () => {
    prepareConsole();
    server = await startServer({ DATABASE_URL: '', KLAXON_DATA_DIR: dataDir });
    browser = await launchChromium();
  }, E2E_TIMEOUT);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it(
    'from an empty data directory to a signed-in admin with the printed setup link',
    async () => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 820 } });
      context.setDefaultTimeout(30_000);
      const page = await context.newPage();

      // Without the link, / explains where it is and the command for this database instead of a sign-in form.
      await page.goto(`${server.url}/`);
      await page.getByRole('heading', { name: 'Set up Klaxon' }).waitFor();
      await page.getByText('printed a one-time setup link').waitFor();
      await page.getByText('Stop Klaxon (Ctrl+C), run').waitFor();
      expect(await page.getByRole('button', { name: 'Sign in' }).count()).toBe(0);
      await screenshot(page, 'first-run-without-link');

      const setupUrl = await setupUrlOf(server);
      await page.goto(setupUrl);
      await page.getByLabel('Email').fill('founder@example.com');
      await page.getByLabel('Name').fill('Fran Founder');
      await page.getByLabel('Password (at least 8 characters)').fill('founder password');
      await page.getByLabel('Password again').fill('founder password');
      await screenshot(page, 'first-run-setup');
      await page.getByRole('button', { name: 'Create admin account and sign in' }).click();

      await page.getByRole('banner').getByText('admin', { exact: true }).waitFor();
      expect(await page.getByRole('banner').getByTitle('founder@example.com').count()).toBe(1);
      expect(new URL(page.url()).hash).toBe('');

      // Used once: the same link now says Klaxon is set up, and / is the sign-in form.
      const other = await browser.newContext();
      const again = await other.newPage();
      await again.goto(setupUrl);
      await again.getByText('Klaxon is already set up').waitFor();
      await again.goto(`${server.url}/`);
      await again.getByRole('heading', { name: /Sign in to Klaxon/ }).waitFor();
      await other.close();
      await context.close();
    },
    E2E_TIMEOUT,
  );
});
