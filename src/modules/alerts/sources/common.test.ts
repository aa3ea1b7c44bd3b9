import { describe, expect, it } from 'vitest';
import { clampTitle, MAX_TITLE_LENGTH } from './common.js';

describe('clampTitle', () => {
  it('returns a title within the limit trimmed and otherwise unchanged', () => {
    expect(clampTitle('  Disk full on db-1 \n')).toBe('Disk full on db-1');
    const exactly = 'x'.repeat(MAX_TITLE_LENGTH);
    expect(clampTitle(exactly)).toBe(exactly);
  });

  it('counts code points, not UTF-16 units: astral characters up to the limit are kept whole', () => {
    // 500 emoji are 1,000 UTF-16 units but 500 characters.
    const emoji = '🔥'.repeat(MAX_TITLE_LENGTH);
    expect(clampTitle(emoji)).toBe(emoji);
  });

  it('cuts a longer title to the limit with an ellipsis, never through a surrogate pair', () => {
    const cut = clampTitle('🔥'.repeat(MAX_TITLE_LENGTH + 1));
    expect(Array.from(cut)).toHaveLength(MAX_TITLE_LENGTH);
    expect(cut).toBe(`${'🔥'.repeat(MAX_TITLE_LENGTH - 1)}…`);
    expect(clampTitle(`${'a'.repeat(MAX_TITLE_LENGTH)}b`)).toBe(`${'a'.repeat(MAX_TITLE_LENGTH - 1)}…`);
  });
});
