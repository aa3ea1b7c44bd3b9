import type { AppError } from '../lib/errors.js';

/** A unique or foreign-key constraint a statement violated. */
export interface ConstraintViolation {
  kind: 'unique' | 'foreign-key';
  /** The constraint's name, as the migrations created it. */
  constraint: string;
  /** The database's own error, to keep as the domain error's cause. */
  error: unknown;
}

const VIOLATION_KINDS: Readonly<Record<string, ConstraintViolation['kind']>> = {
  '23505': 'unique',
  '23503': 'foreign-key',
};

/** The constraint an error violated, as reported by node-postgres and (under `cause`) by PGlite. */
export function violationOf(error: unknown): ConstraintViolation | undefined {
  for (let current: unknown = error; current !== undefined && current !== null; ) {
    const candidate = current as { code?: unknown; constraint?: unknown; cause?: unknown };
    const kind = typeof candidate.code === 'string' ? VIOLATION_KINDS[candidate.code] : undefined;
    if (kind !== undefined) {
      return { kind, constraint: typeof candidate.constraint === 'string' ? candidate.constraint : '', error };
    }
    current = candidate.cause;
  }
  return undefined;
}

/**
 * Awaits a statement and turns the violation of a constraint into the domain error it means. The
 * repository that owns a table owns its constraint names: services see only `AppError`s. `meaning`
 * answers undefined for a violation it does not know, and the database's error goes on unchanged.
 */
export async function translatingViolations<T>(
  statement: PromiseLike<T>,
  meaning: (violation: ConstraintViolation) => AppError | undefined,
): Promise<T> {
  try {
    return await statement;
  } catch (error) {
    const violation = violationOf(error);
    throw (violation === undefined ? undefined : meaning(violation)) ?? error;
  }
}
