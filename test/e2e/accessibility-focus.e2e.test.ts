import { describe, expect, it } from 'vitest';
import {
  base,
  focusRingOfActiveElement,
  LAPTOP,
  newPage,
  PAGES,
  seedConsole,
  settle,
  signedIn,
} from './helpers/accessibility.js';
import { E2E_TIMEOUT, hasChromium } from './helpers/browser.js';

/**
 * Every Tab stop on the sign-in page and on every signed-in console page must show a focus ring
 * that contrasts 3:1 with what is behind it (WCAG 2.4.7, 1.4.11).
 */
describe.skipIf(!hasChromium)('focus rings on every console page', () => {
  seedConsole();

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
});
