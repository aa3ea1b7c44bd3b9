import { type PGlite, parse, protocol, type QueryOptions, type Results, type Transaction } from '@electric-sql/pglite';
import { StatementNames } from './statement-naming.js';

type BackendMessage = Awaited<ReturnType<PGlite['execProtocolStream']>>[number];

/**
 * Named prepared statements on PGlite.
 *
 * `PGlite.query` sends Parse, Describe, Bind, Describe, Execute and Sync as six calls into the
 * WASM backend, and PostgreSQL parses, analyses and plans the text again on every call (~3 ms for
 * the ingest batch statement; planning also asks the file system for every table's size, one
 * `fstat` each). A named statement is parsed once per database and each execution is one call
 * with Bind/Execute/Sync, so PostgreSQL's plan cache keeps its plan as it does on a server.
 */

interface PreparedStatement {
  /** The parameter types PostgreSQL inferred, to serialise values as `PGlite.query` does. */
  paramTypes: number[];
  /** Its RowDescription from the one Describe (none for a statement without rows): executions send no Describe. */
  rowDescription: BackendMessage | undefined;
}

/** Per database (a PGlite instance is one backend, one session): the statements prepared in it. */
const preparedIn = new WeakMap<PGlite, Map<string, PreparedStatement>>();

/** Kept as text, as drizzle's PGlite driver keeps them (timestamps, intervals, dates and their arrays). */
const RAW_TYPES = [1114, 1184, 1186, 1082, 1231, 1115, 1185, 1187, 1182];
const RAW_PARSERS: QueryOptions = {
  parsers: Object.fromEntries(RAW_TYPES.map((type) => [type, (value: string) => value])),
};

/**
 * The statement was deallocated (26000) or its result columns changed under it since it was
 * prepared (0A000, "cached plan must not change result type", after a migration altered a
 * table): prepare it again.
 */
const STALE_STATEMENT = new Set(['26000', '0A000']);

/**
 * Runs one of the ingest hot path's statements on PGlite as a named prepared statement, outside
 * any transaction: rows as objects, timestamps as text (as drizzle's raw queries give them).
 */
export async function queryPglitePrepared<Row>(
  client: PGlite,
  name: string,
  text: string,
  values: unknown[],
): Promise<Row[]> {
  const result = await outsideTransaction(client, () => runNamed(client, name, text, values, RAW_PARSERS, false));
  return result.rows as Row[];
}

/**
 * Holds the same two locks as `PGlite.query` (no query or transaction runs in between) and syncs
 * the file system afterwards as it does, so a resolved promise means what a resolved `query`
 * means.
 */
async function outsideTransaction(client: PGlite, run: () => Promise<Results>): Promise<Results> {
  await client._checkReady();
  return client._runExclusiveTransaction(() =>
    client._runExclusiveQuery(async () => {
      try {
        return await run();
      } finally {
        await client.syncToFs();
      }
    }),
  );
}

/**
 * Executes `text` as the prepared statement `name`, preparing it first if this database has not.
 * A failed execution ends at its Sync like any extended-protocol query: outside a transaction
 * PostgreSQL rolls back the implicit one and the session is ready for the next query, inside one
 * the transaction is aborted as `PGlite.query` would leave it; the prepared statement stays.
 */
async function runNamed(
  client: PGlite,
  name: string,
  text: string,
  values: unknown[],
  options: QueryOptions | undefined,
  inTransaction: boolean,
): Promise<Results> {
  let statements = preparedIn.get(client);
  if (statements === undefined) {
    statements = new Map();
    preparedIn.set(client, statements);
  }
  try {
    const statement = statements.get(name) ?? (await prepare(client, statements, name, text));
    try {
      return await execute(client, name, statement, values, options);
    } catch (error) {
      if (!STALE_STATEMENT.has((error as { code?: string }).code ?? '')) throw error;
      statements.delete(name);
      // Inside a transaction the error aborted it: the caller's transaction fails, the next prepares again.
      if (inTransaction) throw error;
      // Nothing ran: the error came before execution, and its Sync rolled back.
      return await execute(client, name, await prepare(client, statements, name, text), values, options);
    }
  } catch (error) {
    throw withQuery(error, text, values, options);
  }
}

/** As `PGlite.query` reports a database error: with the query, its parameters and options. */
function withQuery(error: unknown, query: string, params: unknown[], options: QueryOptions | undefined): unknown {
  if (!(error instanceof protocol.messages.DatabaseError)) return error;
  return Object.assign(error, { query, params, queryOptions: options });
}

async function prepare(
  client: PGlite,
  statements: Map<string, PreparedStatement>,
  name: string,
  text: string,
): Promise<PreparedStatement> {
  statements.delete(name);
  const messages = await run(client, [
    // Deallocating a statement that does not exist is no error: this also replaces a stale one.
    protocol.serialize.close({ type: 'S', name }),
    protocol.serialize.parse({ name, text }),
    protocol.serialize.describe({ type: 'S', name }),
    protocol.serialize.sync(),
  ]);
  let paramTypes: number[] = [];
  let rowDescription: BackendMessage | undefined;
  for (const message of messages) {
    if (message instanceof protocol.messages.ParameterDescriptionMessage) paramTypes = message.dataTypeIDs;
    if (message instanceof protocol.messages.RowDescriptionMessage) rowDescription = message;
  }
  const statement = { paramTypes, rowDescription };
  statements.set(name, statement);
  return statement;
}

async function execute(
  client: PGlite,
  name: string,
  statement: PreparedStatement,
  values: unknown[],
  options: QueryOptions | undefined,
): Promise<Results> {
  // Serialised as PGlite.query does: by the inferred type, the query's own serializers first.
  const serialized = values.map((value, index) => {
    if (value === null || value === undefined) return null;
    const type = statement.paramTypes[index] as number;
    const serializer = options?.serializers?.[type] ?? client.serializers[type];
    return serializer ? serializer(value) : String(value);
  });
  const messages = await run(client, [
    protocol.serialize.bind({ statement: name, values: serialized }),
    protocol.serialize.execute({}),
    protocol.serialize.sync(),
  ]);
  if (statement.rowDescription !== undefined) messages.unshift(statement.rowDescription);
  return parse.parseResults(messages, ...withParsers(client, options))[0] as Results;
}

type Parsers = Record<number | string, (value: string, typeId?: number) => unknown>;

/**
 * Per query options object (drizzle passes the same one on every run of a query it built once):
 * its parsers layered over the client's, and the options without them.
 */
const layeredFor = new WeakMap<QueryOptions, [Parsers, QueryOptions]>();

/**
 * The parsers and options to parse results with. Given a query's own parsers, `parseResults`
 * copies PGlite's ~320 default parsers into a new object on every call (~100 µs, more than the
 * query itself); the query's parsers in front of the defaults' prototype chain read the same.
 * Layering them costs ~2.2 µs, so it is done once per options object.
 */
function withParsers(client: PGlite, options: QueryOptions | undefined): [Parsers, QueryOptions | undefined] {
  if (options?.parsers === undefined) return [client.parsers, options];
  let layered = layeredFor.get(options);
  // The same options may reach another database (RAW_PARSERS does): layered over its parsers.
  if (layered === undefined || Object.getPrototypeOf(layered[0]) !== client.parsers) {
    layered = [Object.assign(Object.create(client.parsers), options.parsers), { ...options, parsers: undefined }];
    layeredFor.set(options, layered);
  }
  return layered;
}

/** One call into the backend for all the messages; throws the first error PostgreSQL reported. */
async function run(client: PGlite, parts: Uint8Array[]): Promise<BackendMessage[]> {
  const message = new Uint8Array(parts.reduce((length, part) => length + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    message.set(part, offset);
    offset += part.length;
  }
  return client.execProtocolStream(message, { syncToFs: false });
}

/** Texts named per database: each is one prepared statement held by PGlite's one backend. */
const pgliteNames = new WeakMap<PGlite, StatementNames>();

/**
 * `client` for drizzle and pg-boss: every parameterised query whose text it has seen before
 * (StatementNames: named from its second run, at most 500 texts) runs as a named prepared
 * statement, in a transaction too; anything else goes to PGlite as it is. Everything but `query`
 * and `transaction` is the client's own.
 */
export function namingPglite(client: PGlite): PGlite {
  let names = pgliteNames.get(client);
  if (names === undefined) {
    names = new StatementNames('klaxon_pgl_');
    pgliteNames.set(client, names);
  }
  const nameOf = (text: string, params: unknown[] | undefined, options: QueryOptions | undefined) =>
    // Parameter types and blobs change how PGlite runs the query: those run as they are.
    params === undefined || params.length === 0 || options?.paramTypes !== undefined || options?.blob !== undefined
      ? undefined
      : names.nameFor(text);

  async function query<T>(text: string, params?: unknown[], options?: QueryOptions): Promise<Results<T>> {
    const name = nameOf(text, params, options);
    if (name === undefined) return client.query<T>(text, params, options);
    return (await outsideTransaction(client, () =>
      runNamed(client, name, text, params as unknown[], options, false),
    )) as Results<T>;
  }

  function inTransaction(tx: Transaction): Transaction {
    // Its other members are the transaction's own; `closed` is a getter, so not copied but inherited.
    const named = Object.create(tx) as Transaction;
    named.query = async <T>(text: string, params?: unknown[], options?: QueryOptions): Promise<Results<T>> => {
      const name = nameOf(text, params, options);
      if (name === undefined || tx.closed) return tx.query<T>(text, params, options);
      // The transaction's lock is held by the transaction itself; only the query lock is taken.
      return (await client._runExclusiveQuery(() =>
        runNamed(client, name, text, params as unknown[], options, true),
      )) as Results<T>;
    };
    return named;
  }

  const overrides: Partial<PGlite> = {
    query: query as PGlite['query'],
    transaction: ((callback: (tx: Transaction) => Promise<unknown>) =>
      client.transaction((tx) => callback(inTransaction(tx)))) as PGlite['transaction'],
  };
  return new Proxy(client, {
    get(target, property) {
      if (property in overrides) return overrides[property as keyof typeof overrides];
      // PGlite keeps its state in private fields: its methods must run on the instance itself.
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
