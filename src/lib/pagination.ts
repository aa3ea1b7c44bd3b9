import { z } from 'zod';
import { AppError } from './errors.js';
import { isUuid } from './ids.js';

/**
 * Cursor pagination over UUIDv7 primary keys: a page is "rows with id below the cursor,
 * newest first". Ids are unique and time-ordered, so pages stay stable under concurrent inserts.
 * The cursor is opaque to clients (base64url of the last id).
 */
export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

export const pageQuerySchema = {
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
  cursor: z.string().max(200).optional(),
};

export function encodeCursor(id: string): string {
  return Buffer.from(id, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined;
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!isUuid(id)) {
    throw new AppError('validation-failed', 'The cursor is not one this server issued', {
      errors: [{ path: 'cursor', message: 'invalid cursor' }],
    });
  }
  return id;
}

/** Fetch `limit + 1` rows, then call this: it trims the extra row and derives the next cursor. */
export function toPage<T extends { id: string }>(rows: T[], limit: number): { items: T[]; nextCursor: string | null } {
  if (rows.length <= limit) return { items: rows, nextCursor: null };
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: last === undefined ? null : encodeCursor(last.id) };
}
