import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ARCHITECTURE_DOC, regenerate } from '../scripts/gen-architecture.js';

/** docs/architecture.md cannot drift: its generated sections are regenerated here, and its module map names every part. */
describe('docs/architecture.md', () => {
  const doc = readFileSync(ARCHITECTURE_DOC, 'utf8');
  const src = resolve(import.meta.dirname, '../src');

  it('its route-module and table lists are what `npm run gen:architecture` writes', () => {
    expect(doc, 'docs/architecture.md is stale: run npm run gen:architecture').toBe(regenerate(doc));
  });

  it('its module map names every feature module, lib and core file and plugin', () => {
    const moduleMap = doc.slice(doc.indexOf('## Module map'), doc.indexOf('Rules the layout follows'));
    const sourceFiles = (dir: string) =>
      readdirSync(resolve(src, dir)).filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'));
    const expected = [
      ...readdirSync(resolve(src, 'modules')).map((module) => `${module}/`),
      ...sourceFiles('lib'),
      ...sourceFiles('plugins'),
      ...sourceFiles('db'),
      ...sourceFiles('.'),
    ];
    const core = sourceFiles('core');
    expect(expected.filter((name) => !moduleMap.includes(name))).toEqual([]);
    expect(moduleMap).toContain('core/');
    expect(core).toContain('principal.ts');
  });
});
