import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DatabaseHandle, type HotStatement, isNotNullViolation, queryHot, wrapPglite } from './client.js';
import { namingPglite } from './pglite-prepared.js';

/** The hot path's named prepared statements on PGlite (queryPglitePrepared, through queryHot). */
describe('hot statements prepared on PGlite', () => {
  let client: PGlite;
  let database: DatabaseHandle;
  beforeAll(async () => {
    client = await PGlite.create();
    database = wrapPglite(client);
    await client.exec(`CREATE TABLE items (id uuid PRIMARY KEY, name text NOT NULL, tags text[] NOT NULL,
      qty int NOT NULL, at timestamptz NOT NULL)`);
  });
  afterAll(async () => database.close());

  const insert: HotStatement = {
    name: 'test_items_insert',
    text: `INSERT INTO items (id, name, tags, qty, at)
      SELECT id, name, tags::text[], qty, $1::timestamptz FROM unnest($2::uuid[], $3::text[], $4::text[], $5::int[])
        AS row(id, name, tags, qty)
      RETURNING *`,
  };
  const prepared = async () =>
    (await client.query<{ name: string }>('SELECT name FROM pg_prepared_statements')).rows.map((row) => row.name);
  const id = (n: number) => `00000000-0000-7000-8000-${String(n).padStart(12, '0')}`;

  it('returns the rows PGlite.query returns for the same statement, timestamps as text', async () => {
    const at = new Date('2026-12-06T10:00:00.000Z');
    const values = [at, [id(1), id(2)], ['a', 'b "quoted"'], ['{x,y}', '{}'], [3, 4]];
    const rows = await queryHot(database.db, insert, values);
    const stored = await client.query('SELECT * FROM items ORDER BY id', [], {
      parsers: { 1184: (value: string) => value },
    });
    expect(rows).toEqual(stored.rows);
    expect(rows[0]).toEqual({ id: id(1), name: 'a', tags: ['x', 'y'], qty: 3, at: '2026-12-06 10:00:00+00' });
    expect(await prepared()).toContain('test_items_insert');
  });

  it('a failed execution throws the database error, writes nothing and leaves the session usable', async () => {
    const before = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM items');
    const failing = queryHot(database.db, insert, [new Date(), [id(3), id(4)], ['c', null], ['{}', '{}'], [1, 2]]);
    await expect(failing).rejects.toSatisfy((error: unknown) => isNotNullViolation(error, 'name'));
    expect(client.isInTransaction()).toBe(false);
    expect((await client.query<{ n: number }>('SELECT count(*)::int AS n FROM items')).rows).toEqual(before.rows);
    const rows = await queryHot(database.db, insert, [new Date(), [id(5)], ['e'], ['{}'], [5]]);
    expect(rows).toHaveLength(1);
  });

  it('prepares again when its result columns changed under it (a migration)', async () => {
    await client.exec('ALTER TABLE items ADD COLUMN note text');
    const rows = await queryHot<Record<string, unknown>>(database.db, insert, [
      new Date(),
      [id(6)],
      ['f'],
      ['{}'],
      [6],
    ]);
    expect(rows[0]).toMatchObject({ id: id(6), name: 'f', note: null });
  });

  it('prepares again when the statement was deallocated', async () => {
    await client.exec('DEALLOCATE ALL');
    const rows = await queryHot(database.db, insert, [new Date(), [id(7)], ['g'], ['{}'], [7]]);
    expect(rows).toHaveLength(1);
    expect(await prepared()).toContain('test_items_insert');
  });

  it('waits for an open transaction and runs after its commit', async () => {
    const order: string[] = [];
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let inside: () => void = () => {};
    const started = new Promise<void>((resolve) => {
      inside = resolve;
    });
    const transaction = client.transaction(async (tx) => {
      await tx.query(`INSERT INTO items (id, name, tags, qty, at) VALUES ($1, 'in tx', '{}', 8, now())`, [id(8)]);
      inside();
      await held;
      order.push('commit');
    });
    await started;
    const hot = queryHot(database.db, insert, [new Date(), [id(9)], ['h'], ['{}'], [9]]).then(() => order.push('hot'));
    // A turn of the event loop: enough for the statement to run, were it not waiting for the lock.
    await new Promise((resolve) => setImmediate(resolve));
    release();
    await Promise.all([transaction, hot]);
    expect(order).toEqual(['commit', 'hot']);
  });
});

/** Every parameterised query drizzle and pg-boss send, named from its second run (namingPglite). */
describe('queries named by their text on PGlite', () => {
  let client: PGlite;
  let naming: PGlite;
  beforeAll(async () => {
    client = await PGlite.create();
    naming = namingPglite(client);
    await client.exec(
      `CREATE TABLE notes (id int PRIMARY KEY, body text NOT NULL, at timestamptz NOT NULL DEFAULT now())`,
    );
  });
  afterAll(async () => client.close());

  const prepared = async () =>
    (await client.query<{ name: string; statement: string }>('SELECT name, statement FROM pg_prepared_statements'))
      .rows;
  const select = 'SELECT id, body, at FROM notes WHERE id >= $1 ORDER BY id';

  it('runs a text it has seen before as a prepared statement, answering as PGlite.query does', async () => {
    await client.query("INSERT INTO notes (id, body, at) VALUES (1, 'one', '2026-12-07T10:00:00Z'), (2, 'two', now())");
    const options = { rowMode: 'array' as const, parsers: { 1184: (value: string) => `raw ${value}` } };
    const first = await naming.query(select, [1], options);
    expect((await prepared()).map((row) => row.statement)).not.toContain(select);
    const second = await naming.query(select, [1], options);
    expect((await prepared()).map((row) => row.statement)).toContain(select);
    const plain = await client.query(select, [1], options);
    expect(first).toEqual(plain);
    expect(second).toEqual(plain);
    expect(second.rows[0]).toEqual([1, 'one', 'raw 2026-12-07 10:00:00+00']);
    // Objects, and the write's count.
    expect((await naming.query<{ body: string }>(select, [2])).rows).toEqual((await client.query(select, [2])).rows);
    const update = 'UPDATE notes SET body = body || $1 WHERE id <= $2';
    await naming.query(update, ['!', 0]);
    expect(await naming.query(update, ['!', 2])).toMatchObject({ affectedRows: 2, rows: [] });
  });

  it("layers one options object's parsers over each database's own, run after run", async () => {
    const options = { rowMode: 'array' as const, parsers: { 1184: (value: string) => `raw ${value}` } };
    const other = await PGlite.create({ parsers: { 23: (value: string) => `int ${value}` } });
    try {
      await other.exec(
        "CREATE TABLE notes (id int PRIMARY KEY, body text NOT NULL, at timestamptz NOT NULL); INSERT INTO notes VALUES (1, 'one', '2026-12-07T10:00:00Z')",
      );
      const otherNaming = namingPglite(other);
      // The id (int4) and the time (timestamptz) of note 1: the other database parses int4 its own way.
      const idAndTime = async (database: PGlite) => {
        const [row] = (await database.query<unknown[]>(select, [1], options)).rows;
        return [row?.[0], row?.[2]];
      };
      for (let run = 0; run < 3; run++) {
        expect(await idAndTime(naming)).toEqual([1, 'raw 2026-12-07 10:00:00+00']);
        expect(await idAndTime(otherNaming)).toEqual(['int 1', 'raw 2026-12-07 10:00:00+00']);
      }
    } finally {
      await other.close();
    }
  });

  it('leaves one-off texts and queries without parameters unnamed', async () => {
    const before = (await prepared()).length;
    await naming.query('SELECT count(*) FROM notes');
    await naming.query('SELECT count(*) FROM notes');
    await naming.query('SELECT body FROM notes WHERE id = $1 AND body <> $2', [1, 'x']);
    expect((await prepared()).length).toBe(before);
  });

  it('in a transaction: named too, and rolled back with it', async () => {
    const insert = 'INSERT INTO notes (id, body) VALUES ($1, $2)';
    await naming.query(insert, [10, 'ten']);
    const failing = naming.transaction(async (tx) => {
      await tx.query(insert, [11, 'eleven']);
      await tx.query(insert, [12, 'twelve']);
      throw new Error('changed my mind');
    });
    await expect(failing).rejects.toThrow('changed my mind');
    expect((await prepared()).map((row) => row.statement)).toContain(insert);
    expect((await client.query('SELECT id FROM notes WHERE id > 10')).rows).toEqual([]);
    await naming.transaction(async (tx) => {
      await tx.query(insert, [13, 'thirteen']);
    });
    expect((await client.query('SELECT id FROM notes WHERE id > 10')).rows).toEqual([{ id: 13 }]);
  });

  it('a failed execution throws the database error with its query, and the session goes on', async () => {
    const insert = 'INSERT INTO notes (id, body) VALUES ($1, $2)';
    const failure = await naming.query(insert, [10, 'again']).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: '23505', query: insert, params: [10, 'again'] });
    expect(client.isInTransaction()).toBe(false);
    const inTransaction = naming.transaction(async (tx) => {
      await tx.query(insert, [20, 'twenty']);
      await tx.query(insert, [10, 'again']);
    });
    await expect(inTransaction).rejects.toMatchObject({ code: '23505' });
    expect(client.isInTransaction()).toBe(false);
    expect((await client.query('SELECT id FROM notes WHERE id = 20')).rows).toEqual([]);
    await naming.query(insert, [21, 'twenty-one']);
    expect((await client.query('SELECT id FROM notes WHERE id = 21')).rows).toEqual([{ id: 21 }]);
  });

  it('prepares again when a migration changed the columns a statement returns', async () => {
    const everything = 'SELECT * FROM notes WHERE id = $1';
    await naming.query(everything, [1]);
    await naming.query(everything, [1]);
    await client.exec('ALTER TABLE notes ADD COLUMN tag text');
    expect((await naming.query(everything, [1])).rows[0]).toMatchObject({ id: 1, tag: null });
    // In a transaction the stale statement fails that transaction only; the next call prepares it again.
    await client.exec('ALTER TABLE notes ADD COLUMN mood text');
    const stale = naming.transaction(async (tx) => tx.query(everything, [1]));
    await expect(stale).rejects.toMatchObject({ code: '0A000' });
    expect((await naming.query(everything, [1])).rows[0]).toMatchObject({ id: 1, mood: null });
  });

  it('keeps the rest of the client as it is', async () => {
    expect(naming.ready).toBe(true);
    expect((await naming.exec('SELECT 1 AS one'))[0]?.rows).toEqual([{ one: 1 }]);
  });
});
