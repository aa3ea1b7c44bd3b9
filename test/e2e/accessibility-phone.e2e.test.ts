import { describe } from 'vitest';
import { itChecksEverySignedInPage, PHONE, seedConsole } from './helpers/accessibility.js';
import { hasChromium } from './helpers/browser.js';

/**
 * Every signed-in console page at phone width, filled with data seeded through the API, run
 * through axe-core (WCAG 2.0/2.1/2.2 A and AA rules and axe's best practices), titled, its
 * fields labelled; at phone width it must not scroll sideways and the navigation must open from the Menu button.
 */
describe.skipIf(!hasChromium)('accessibility of every console page at phone width', () => {
  seedConsole();
  itChecksEverySignedInPage('phone', PHONE);
});
