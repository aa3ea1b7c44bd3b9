import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The layers the compiler cannot see: the domain's vocabulary (`src/core/`) and the pure
 * decisions built on it (normalizers, the router, matchers, on-call computation…) never reach the
 * persistence layer (`src/db/`), directly or through anything they import. A pure module that
 * needs an enum takes it from `src/core/`, which `src/db/schema` imports too.
 */

const SRC = resolve(import.meta.dirname, '../src');

/** Files (or folders, ending in `/`) that must not reach `src/db/` through any chain of imports. */
const PURE = [
  'core/',
  'lib/',
  'modules/alerts/sources/',
  'modules/alerts/normalized-alert.ts',
  'modules/events-api/events-v2.normalize.ts',
  'modules/routing/route-alert.ts',
  'modules/routing/safe-regex.ts',
  'modules/event-rules/apply-event-rules.ts',
  'modules/event-rules/template.ts',
  'modules/silences/alert-matchers.ts',
  'modules/urgency/support-hours.ts',
  'modules/schedules/oncall-computation.ts',
  'modules/incidents/grouping.ts',
  'modules/incidents/timeline-privacy.ts',
  'modules/silences/suppression.ts',
  'modules/heartbeats/heartbeat-alert.ts',
  'modules/notifications/notification-planner.ts',
  'modules/webhooks/signatures/',
];

/** Folders whose files import only from their own folder (and packages): the bottom layers. */
const SELF_CONTAINED = ['core/', 'lib/'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'migrations' ? [] : sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

const SPECIFIER = /(?:^|\n)\s*(?:import|export)\b[^'"]*?\sfrom\s+'([^']+)'|\bimport\(\s*'([^']+)'\s*\)/g;

/** The project files a file imports (relative specifiers only: packages are not layers). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(SPECIFIER)]
    .map((match) => match[1] ?? match[2] ?? '')
    .filter((specifier) => specifier.startsWith('.'))
    .map((specifier) => resolve(dirname(file), specifier.replace(/\.js$/, '.ts')));
}

const graph = new Map(sourceFiles(SRC).map((file) => [file, importsOf(file)]));
const name = (file: string) => relative(SRC, file);
const covered = (file: string, entries: string[]) =>
  entries.some((entry) => (entry.endsWith('/') ? name(file).startsWith(entry) : name(file) === entry));

/** The first import chain from `file` to a file under `src/db/`, or undefined when there is none. */
function chainToDb(file: string): string[] | undefined {
  const seen = new Set<string>();
  const walk = (current: string, path: string[]): string[] | undefined => {
    if (name(current).startsWith('db/')) return [...path, current];
    if (seen.has(current)) return undefined;
    seen.add(current);
    for (const next of graph.get(current) ?? []) {
      const found = walk(next, [...path, current]);
      if (found !== undefined) return found;
    }
    return undefined;
  };
  return walk(file, []);
}

describe('layering', () => {
  it('reads the import graph (every relative import resolves to a source file)', () => {
    const unresolved = [...graph].flatMap(([file, imports]) =>
      imports.filter((target) => !graph.has(target)).map((target) => `${name(file)} → ${name(target)}`),
    );
    expect(unresolved).toEqual([]);
    expect(graph.size).toBeGreaterThan(100);
  });

  it('pure modules never reach the persistence layer', () => {
    const pure = [...graph.keys()].filter((file) => covered(file, PURE));
    for (const entry of PURE) {
      expect(
        pure.some((file) => covered(file, [entry])),
        `${entry} names no source file`,
      ).toBe(true);
    }
    const offending = pure.flatMap((file) => {
      const chain = chainToDb(file);
      return chain === undefined ? [] : [chain.map(name).join(' → ')];
    });
    expect(offending).toEqual([]);
  });

  it('core/ and lib/ import only from themselves', () => {
    const offending = [...graph].flatMap(([file, imports]) => {
      const home = SELF_CONTAINED.find((folder) => name(file).startsWith(folder));
      if (home === undefined) return [];
      return imports.filter((target) => !name(target).startsWith(home)).map((t) => `${name(file)} → ${name(t)}`);
    });
    expect(offending).toEqual([]);
  });

  it('src/db/schema takes the domain enums from core/ rather than defining its own', () => {
    const schemaDir = join(SRC, 'db/schema');
    const defined = readdirSync(schemaDir).flatMap((file) =>
      [...readFileSync(join(schemaDir, file), 'utf8').matchAll(/export const ([A-Z][A-Z_]+) = \[/g)].map(
        (match) => `${file}: ${match[1]}`,
      ),
    );
    expect(defined).toEqual([]);
  });
});
