import { readFileSync } from 'node:fs';

/** A fixture payload (test helper): `loadFixture('grafana', 'zulip-v9-resolved.json')`. */
export function loadFixture(source: string, file: string): unknown {
  return JSON.parse(readFileSync(new URL(`./fixtures/${source}/${file}`, import.meta.url), 'utf8'));
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
