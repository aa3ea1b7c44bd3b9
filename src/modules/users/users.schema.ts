import { z } from 'zod';
import type { UserRow } from '../../db/schema/index.js';
import { displayName } from '../../lib/display-name.js';

export const createUserBody = z.strictObject({
  email: z.email().max(320),
  name: displayName(200).optional(),
  isPlatformAdmin: z.boolean().optional(),
});

export const userSchema = z.object({
  id: z.uuid(),
  email: z.string(),
  name: z.string().nullable(),
  isPlatformAdmin: z.boolean(),
  /** Whether the user can sign in to the console (has set a password). */
  hasPassword: z.boolean(),
  /** When an admin disabled the account (null: active). */
  disabledAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const userIdParams = z.object({ id: z.uuid() });

export type UserDto = z.infer<typeof userSchema>;

/** The public shape of a user: never the password hash. */
export function toUserDto(row: UserRow): UserDto {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    isPlatformAdmin: row.isPlatformAdmin,
    hasPassword: row.passwordHash !== null,
    disabledAt: row.disabledAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
