import { readFileSync } from 'node:fs';
import { fromPackageRoot } from '../../../package-root.js';

/** The captured payloads, read at run time by the integration test alert (test-alert.ts) too. */
const FIXTURES_DIR = 'src/modules/alerts/sources/fixtures';

/** A fixture payload (test helper): `loadFixture('grafana', 'zulip-v9-resolved.json')`. */
export function loadFixture(source: string, file: string): unknown {
  return JSON.parse(readFileSync(fromPackageRoot(FIXTURES_DIR, source, file), 'utf8'));
}

/**
 * The issue paths (dot-joined) of the ZodError that `run` throws (test helper). Fails the caller's
 * expectation with whatever else was thrown, or with "did not throw".
 */
export function zodIssuePaths(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof Error && error.name === 'ZodError' && 'issues' in error) {
      return (error.issues as Array<{ path: PropertyKey[] }>).map((issue) => issue.path.map(String).join('.'));
    }
    return [`not a ZodError: ${String(error)}`];
  }
  return ['did not throw'];
}
