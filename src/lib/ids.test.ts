import { describe, expect, it } from 'vitest';
import { isUuid, uuidv7 } from './ids.js';

const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function millisOf(id: string): number {
  return Number.parseInt(id.replaceAll('-', '').slice(0, 12), 16);
}

describe('uuidv7', () => {
  it('has the RFC 9562 layout: version 7, variant 10', () => {
    for (let i = 0; i < 200; i++) {
      const id = uuidv7();
      expect(id).toMatch(V7);
      const bytes = Buffer.from(id.replaceAll('-', ''), 'hex');
      expect((bytes[6] ?? 0) >> 4).toBe(7);
      expect((bytes[8] ?? 0) >> 6).toBe(0b10);
    }
  });

  it('carries the current Unix time in milliseconds in its first 48 bits', () => {
    const before = Date.now();
    const id = uuidv7();
    const after = Date.now();
    // Ids may run slightly ahead of the clock after a burst (sequence overflow), never behind it.
    expect(millisOf(id)).toBeGreaterThanOrEqual(before);
    expect(millisOf(id)).toBeLessThanOrEqual(after + 5);
  });

  it('is strictly increasing within a process, even many per millisecond', () => {
    const ids = Array.from({ length: 20_000 }, () => uuidv7());
    for (let i = 1; i < ids.length; i++) {
      const [previous, current] = [ids[i - 1] ?? '', ids[i] ?? ''];
      if (!(previous < current)) expect.fail(`id ${i} (${current}) does not sort after ${previous}`);
    }
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('stays increasing when the clock goes backwards', () => {
    const first = uuidv7(Date.now() + 10_000);
    const second = uuidv7(Date.now() - 10_000);
    expect(second > first).toBe(true);
  });
});

describe('isUuid', () => {
  it('accepts UUIDs in either case and rejects everything else', () => {
    expect(isUuid(uuidv7())).toBe(true);
    expect(isUuid('0190A5B2-0000-7000-8000-000000000000')).toBe(true);
    expect(isUuid('not-a-uuid')).toBe(false);
    expect(isUuid(`${uuidv7()}x`)).toBe(false);
    expect(isUuid('')).toBe(false);
  });
});
