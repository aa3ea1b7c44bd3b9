import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DatabaseHandle, type HotStatement, isNotNullViolation, queryHot, wrapPglite } from './client.js';

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
