import { describe } from 'vitest';
import { itChecksEverySignedInPage, LAPTOP, seedConsole } from './helpers/accessibility.js';
import { hasChromium } from './helpers/browser.js';

/**
 * Every signed-in console page at laptop width, filled with data seeded through the API, run
 * through axe-core (WCAG 2.0/2.1/2.2 A and AA rules and axe's best practices), titled, its
 * fields labelled.
 */
describe.skipIf(!hasChromium)('accessibility of every console page at laptop width', () => {
  seedConsole();
  itChecksEverySignedInPage('laptop', LAPTOP);
});
