import { describe, expect, it } from 'vitest';
import { parsePhoneNumber } from './phone-number.js';
import { parseReply } from './phone-texts.js';

describe('SMS replies', () => {
  it.each([
    ['1', 'acknowledge', undefined],
    ['ACK', 'acknowledge', undefined],
    [' ack 3f9a ', 'acknowledge', '3f9a'],
    ['2', 'resolve', undefined],
    ['Resolve #3F9A', 'resolve', '3f9a'],
    ['2 ref 00ab', 'resolve', '00ab'],
  ])('reads %j', (text, action, ref) => {
    expect(parseReply(text)).toEqual({ action, ref });
  });

  it.each(['', 'yes', '12', 'ack please', '3'])('does not guess at %j', (text) => {
    expect(parseReply(text)).toBeUndefined();
  });
});

describe('phone numbers', () => {
  it('normalizes international numbers to E.164 with their calling code', () => {
    expect(parsePhoneNumber('+1 (415) 555-0101')).toEqual({ e164: '+14155550101', callingCode: '1' });
    expect(parsePhoneNumber('+44 20 7946 0958')).toEqual({ e164: '+442079460958', callingCode: '44' });
  });

  it('refuses national numbers (no country guessed) and impossible ones', () => {
    expect(parsePhoneNumber('4155550101')).toBeUndefined();
    expect(parsePhoneNumber('+1 555')).toBeUndefined();
    expect(parsePhoneNumber('+999 1234567')).toBeUndefined();
  });
});
