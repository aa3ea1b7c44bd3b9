import { type PGlite, protocol, types } from '@electric-sql/pglite';

type BackendMessage = Awaited<ReturnType<PGlite['execProtocolStream']>>[number];

interface PreparedStatement {
  /** The parameter types PostgreSQL inferred, to serialise values as `PGlite.query` does. */
  paramTypes: number[];
  /** The result columns, from the one Describe: executions send only Bind/Execute. */
  fields: Array<{ name: string; dataTypeID: number }>;
}

interface ClientState {
  statements: Map<string, PreparedStatement>;
  /** PGlite's own parsers, less the date/time ones: rows come back as drizzle's raw queries give them. */
  parsers: Record<number | string, (value: string, typeId?: number) => unknown>;
}

const states = new WeakMap<PGlite, ClientState>();

/** Kept as text, as drizzle's PGlite driver keeps them (timestamps, intervals, dates and their arrays). */
const RAW_TYPES = [types.TIMESTAMP, types.TIMESTAMPTZ, types.INTERVAL, types.DATE, 1231, 1115, 1185, 1187, 1182];

/**
 * The statement was deallocated (26000) or its result columns changed under it since it was
 * prepared (0A000, "cached plan must not change result type", after a migration altered a
 * table): prepare it again.
 */
const STALE_STATEMENT = new Set(['26000', '0A000']);

/**
 * Runs one of the ingest hot path's statements on PGlite as a named prepared statement: Parse and
 * Describe once per database, then Bind/Execute/Sync in one message per call. `PGlite.query`
 * sends Parse, Describe, Bind, Describe, Execute and Sync as six calls into the WASM backend and
 * PostgreSQL parses and analyses the text again each time (~3 ms for the ingest batch statement).
 * Holds the same two locks as `PGlite.query` (no query or transaction runs in between) and syncs
 * the file system afterwards as it does, so a resolved promise means what a resolved `query`
 * means. A failed execution ends at its Sync like any extended-protocol query: PostgreSQL rolls
 * back the implicit transaction and the session is ready for the next one; the prepared
 * statement stays.
 */
export async function queryPglitePrepared<Row>(
  client: PGlite,
  name: string,
  text: string,
  values: unknown[],
): Promise<Row[]> {
  await client._checkReady();
  return client._runExclusiveTransaction(() =>
    client._runExclusiveQuery(async () => {
      try {
        const state = stateOf(client);
        let statement = state.statements.get(name) ?? (await prepare(client, state, name, text));
        try {
          return await execute<Row>(client, state, name, statement, values);
        } catch (error) {
          if (!STALE_STATEMENT.has((error as { code?: string }).code ?? '')) throw error;
          // Nothing ran: the error came before execution, and its Sync rolled back.
          statement = await prepare(client, state, name, text);
          return await execute<Row>(client, state, name, statement, values);
        }
      } finally {
        await client.syncToFs();
      }
    }),
  );
}

function stateOf(client: PGlite): ClientState {
  let state = states.get(client);
  if (state === undefined) {
    const parsers: ClientState['parsers'] = { ...client.parsers };
    for (const type of RAW_TYPES) parsers[type] = (value: string) => value;
    state = { statements: new Map(), parsers };
    states.set(client, state);
  }
  return state;
}

async function prepare(client: PGlite, state: ClientState, name: string, text: string): Promise<PreparedStatement> {
  state.statements.delete(name);
  const messages = await run(client, [
    // Deallocating a statement that does not exist is no error: this also replaces a stale one.
    protocol.serialize.close({ type: 'S', name }),
    protocol.serialize.parse({ name, text }),
    protocol.serialize.describe({ type: 'S', name }),
    protocol.serialize.sync(),
  ]);
  let paramTypes: number[] = [];
  let fields: PreparedStatement['fields'] = [];
  for (const message of messages) {
    if (message instanceof protocol.messages.ParameterDescriptionMessage) paramTypes = message.dataTypeIDs;
    if (message instanceof protocol.messages.RowDescriptionMessage) {
      fields = message.fields.map(({ name: column, dataTypeID }) => ({ name: column, dataTypeID }));
    }
  }
  const statement = { paramTypes, fields };
  state.statements.set(name, statement);
  return statement;
}

async function execute<Row>(
  client: PGlite,
  state: ClientState,
  name: string,
  statement: PreparedStatement,
  values: unknown[],
): Promise<Row[]> {
  const serialized = values.map((value, index) => {
    if (value === null || value === undefined) return null;
    const serializer = client.serializers[statement.paramTypes[index] as number];
    return serializer ? serializer(value) : String(value);
  });
  const messages = await run(client, [
    protocol.serialize.bind({ statement: name, values: serialized }),
    protocol.serialize.execute({}),
    protocol.serialize.sync(),
  ]);
  const rows: Row[] = [];
  for (const message of messages) {
    if (!(message instanceof protocol.messages.DataRowMessage)) continue;
    const row: Record<string, unknown> = {};
    message.fields.forEach((field, index) => {
      const column = statement.fields[index] as PreparedStatement['fields'][number];
      row[column.name] = types.parseType(field, column.dataTypeID, state.parsers);
    });
    rows.push(row as Row);
  }
  return rows;
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
