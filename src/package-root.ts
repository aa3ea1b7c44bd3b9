import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The repository root. This module runs as src/package-root.ts (tsx, Vitest) and as
 * dist/package-root.js (`npm start`); both sit one level below the root, so files the server
 * reads at run time (migrations, fixtures, the built console) are found from here in either
 * case and exist only once, in src/ and web/dist/.
 */
const PACKAGE_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** An absolute path from repository-relative segments: `fromPackageRoot('src', 'db', 'migrations')`. */
export function fromPackageRoot(...segments: string[]): string {
  return join(PACKAGE_ROOT, ...segments);
}
