import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain .mjs build script without type declarations
import { isUpToDate, writeStamp } from '../scripts/build-stamp.mjs';

/** The check behind `npm start`'s prestart: rebuild web/dist and dist/ only when a source changed. */
describe('build stamps (scripts/build-stamp.mjs)', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function sources(): { stamp: string; inputs: string[]; file: string } {
    dir = mkdtempSync(join(tmpdir(), 'klaxon-stamp-'));
    mkdirSync(join(dir, 'src', 'pages'), { recursive: true });
    const file = join(dir, 'src', 'pages', 'Page.tsx');
    writeFileSync(file, 'export {};');
    const past = new Date(Date.now() - 60_000);
    for (const path of [file, join(dir, 'src', 'pages'), join(dir, 'src')]) utimesSync(path, past, past);
    return { stamp: join(dir, '.built'), inputs: [join(dir, 'src'), join(dir, 'missing.json')], file };
  }

  it('is stale without a stamp (never built, or the last build failed)', () => {
    const { stamp, inputs } = sources();
    expect(isUpToDate(stamp, inputs)).toBe(false);
  });

  it('is up to date when nothing changed after the build started, even with an input missing', () => {
    const { stamp, inputs } = sources();
    writeStamp(stamp, new Date());
    expect(isUpToDate(stamp, inputs)).toBe(true);
  });

  it('is stale when a file deep under an input changed after the build started', () => {
    const { stamp, inputs, file } = sources();
    writeStamp(stamp, new Date(Date.now() - 30_000));
    writeFileSync(file, 'export const changed = true;');
    expect(isUpToDate(stamp, inputs)).toBe(false);
  });
});
