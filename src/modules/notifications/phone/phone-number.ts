import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

export interface PhoneNumber {
  /** +14155550100 */
  e164: string;
  /** The country calling code without the plus: `1`, `44`. */
  callingCode: string;
}

/**
 * A number written in international form (`+44 20 7946 0958`, `+1 (415) 555-0100`), validated
 * against libphonenumber's full metadata; undefined when it is not a number anyone could dial.
 * Without a default country, a number must start with `+`: guessing the country is how a
 * national number ends up ringing abroad.
 */
export function parsePhoneNumber(input: string): PhoneNumber | undefined {
  if (!input.trim().startsWith('+') || input.length > 40) return undefined;
  const parsed = parsePhoneNumberFromString(input);
  if (parsed === undefined || !parsed.isValid()) return undefined;
  return { e164: parsed.number, callingCode: parsed.countryCallingCode };
}

/** Whether the number's country calling code is in the allowlist (KLAXON_PHONE_ALLOWED_COUNTRIES). */
export const isCountryAllowed = (number: PhoneNumber, allowed: readonly string[]) =>
  allowed.includes(number.callingCode);
