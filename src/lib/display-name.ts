import { z } from 'zod';

/**
 * Control characters (C0, C1), bidirectional overrides and isolates (U+202A–U+202E,
 * U+2066–U+2069), zero-width and other invisible format characters (U+200B–U+200F, U+2060,
 * U+FEFF…) and line/paragraph separators: in a name shown to other people they can disguise
 * one name as another or reorder what the reader sees.
 */
const INVISIBLE_OR_CONTROL = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;

/** The one rule for every user-visible name: trimmed, 1–`max` characters, nothing invisible. */
export function displayName(max: number) {
  return z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((value) => !INVISIBLE_OR_CONTROL.test(value), {
      message: 'must not contain control, bidirectional or invisible formatting characters',
    });
}
