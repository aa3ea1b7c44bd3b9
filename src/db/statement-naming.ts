import pg from 'pg';

/**
 * How node-postgres clients name their statements, which decides whether PostgreSQL parses and
 * plans them on every call.
 *
 * node-postgres sends a query without a name as PostgreSQL's unnamed statement: parsed, analysed
 * and planned again on every call. Drizzle and pg-boss send every query that way, and in a storm
 * of pages that was ~40 % of PostgreSQL's CPU (`perf` of the backends, bench/README.md
 * 2026-12-07). A name makes node-postgres parse the statement once per connection and send only
 * Bind/Execute afterwards, and lets PostgreSQL's plan cache keep a generic plan once it costs no
 * more than the custom ones (plan_cache_mode auto).
 */

/** Distinct texts named per process: each pooled connection may hold this many prepared statements. */
const MAX_NAMED_TEXTS = 500;
/** Texts seen once are remembered up to this many, then forgotten together. */
const MAX_SEEN_ONCE = 5_000;

/**
 * The process-wide text → name table. A text is named the second time it is seen, so one-off
 * texts (a multi-row insert of an unusual length) never take a prepared statement's memory on
 * every connection; a name always stands for one text, so two connections never disagree.
 */
export class StatementNames {
  private readonly names = new Map<string, string>();
  private readonly seenOnce = new Set<string>();
  private readonly refused = new Set<string>();

  constructor(
    private readonly prefix = 'klaxon_auto_',
    private readonly maxNamed = MAX_NAMED_TEXTS,
  ) {}

  nameFor(text: string): string | undefined {
    if (this.refused.has(text)) return undefined;
    const known = this.names.get(text);
    if (known !== undefined || this.names.size >= this.maxNamed) return known;
    if (!this.seenOnce.has(text)) {
      if (this.seenOnce.size >= MAX_SEEN_ONCE) this.seenOnce.clear();
      this.seenOnce.add(text);
      return undefined;
    }
    this.seenOnce.delete(text);
    const name = `${this.prefix}${this.names.size + 1}`;
    this.names.set(text, name);
    return name;
  }

  /**
   * From now on the text goes unnamed: its prepared statement answered with an error that
   * repeating it would not cure (a migration changed the columns it returns). Its name is not
   * reused for another text.
   */
  refuse(text: string): void {
    this.refused.add(text);
  }

  get size(): number {
    return this.names.size;
  }
}

const processNames = new StatementNames();

type QueryArgs = unknown[];
type Callback = (error: Error | null, result?: unknown) => void;

/**
 * "cached plan must not change result type" (0A000): another process migrated the schema under a
 * statement this connection had prepared. PostgreSQL re-plans prepared statements itself after
 * other schema changes.
 */
function isStalePreparedStatement(error: unknown): boolean {
  const candidate = error as { code?: unknown; message?: unknown } | null;
  return candidate?.code === '0A000' && /cached plan must not change result type/.test(String(candidate.message));
}

/** The text of a parameterised query without a name, in any of node-postgres's call forms. */
function unnamedParameterisedText(args: QueryArgs): string | undefined {
  const [first, second] = args;
  if (typeof first === 'string') return Array.isArray(second) && second.length > 0 ? first : undefined;
  if (typeof first !== 'object' || first === null) return undefined;
  const config = first as { text?: unknown; name?: unknown; values?: unknown; submit?: unknown };
  // A Submittable (cursor, stream) runs its own protocol.
  if (typeof config.submit === 'function' || config.name !== undefined || typeof config.text !== 'string') {
    return undefined;
  }
  const values = Array.isArray(second) ? second : config.values;
  // Without parameters a text may hold several statements, which a prepared statement cannot.
  return Array.isArray(values) && values.length > 0 ? config.text : undefined;
}

/**
 * A client that names each parameterised statement whose text it has seen before (StatementNames):
 * for connections that keep their session, the application's own pool and pg-boss's.
 */
export class NamingStatementClient extends pg.Client {
  static names: StatementNames = processNames;

  override query(...args: QueryArgs): never {
    const text = unnamedParameterisedText(args);
    const name = text === undefined ? undefined : NamingStatementClient.names.nameFor(text);
    if (text === undefined || name === undefined) return (super.query as (...a: QueryArgs) => never)(...args);
    const [first, ...rest] = args;
    const named = typeof first === 'string' ? { text: first, name } : { ...(first as object), name };
    const onError = (error: unknown) => {
      if (isStalePreparedStatement(error)) NamingStatementClient.names.refuse(text);
    };
    const last = rest[rest.length - 1];
    if (typeof last === 'function') {
      const callback = last as Callback;
      rest[rest.length - 1] = (error: Error | null, result?: unknown) => {
        if (error !== null && error !== undefined) onError(error);
        callback(error, result);
      };
      return (super.query as (...a: QueryArgs) => never)(named, ...rest);
    }
    return (super.query as (...a: QueryArgs) => Promise<unknown>)(named, ...rest).catch((error: unknown) => {
      onError(error);
      throw error;
    }) as never;
  }
}

/**
 * A client that sends every statement unnamed: parsed again each time, but valid on whichever
 * server connection a transaction pooler picks (the hot path names its statements; see queryHot).
 */
export class UnnamedStatementClient extends pg.Client {
  override query(...args: QueryArgs): never {
    const [first, ...rest] = args;
    if (typeof first === 'object' && first !== null && 'name' in first) {
      const { name: _name, ...unnamed } = first as Record<string, unknown>;
      return (super.query as (...a: QueryArgs) => never)(unnamed, ...rest);
    }
    return (super.query as (...a: QueryArgs) => never)(...args);
  }
}
