import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testDatabaseKind } from '../../test/helpers/database.js';
import { type DatabaseHandle, openPostgres } from './client.js';
import { NamingStatementClient, StatementNames } from './statement-naming.js';

describe('StatementNames', () => {
  it('names a text the second time it is seen, with the same name ever after', () => {
    const names = new StatementNames('t_');
    expect(names.nameFor('select $1')).toBeUndefined();
    expect(names.nameFor('select $1')).toBe('t_1');
    expect(names.nameFor('select $1')).toBe('t_1');
    names.nameFor('select $2');
    expect(names.nameFor('select $2')).toBe('t_2');
  });

  it('names no more texts than its limit', () => {
    const names = new StatementNames('t_', 1);
    names.nameFor('a');
    expect(names.nameFor('a')).toBe('t_1');
    names.nameFor('b');
    expect(names.nameFor('b')).toBeUndefined();
    expect(names.size).toBe(1);
  });

  it('leaves a refused text unnamed, and does not give its name to another', () => {
    const names = new StatementNames('t_');
    names.nameFor('a');
    names.nameFor('a');
    names.refuse('a');
    expect(names.nameFor('a')).toBeUndefined();
    names.nameFor('b');
    expect(names.nameFor('b')).toBe('t_2');
  });
});

describe.runIf(testDatabaseKind() === 'postgres')('on PostgreSQL', () => {
  let template: DatabaseHandle & { url?: string };
  let database: DatabaseHandle;
  const processNames = NamingStatementClient.names;

  beforeAll(async () => {
    // Its own table: other test files sharing this process have named texts of their own.
    NamingStatementClient.names = new StatementNames();
    template = await createTestDatabase();
    // One connection, so pg_prepared_statements (per session) sees what the queries prepared.
    database = openPostgres(template.url as string, 1);
  });

  afterAll(async () => {
    await database.close();
    await template.close();
    NamingStatementClient.names = processNames;
  });

  const prepared = async () =>
    (await database.db.execute<{ statement: string }>(sql`SELECT statement FROM pg_prepared_statements`)).rows.map(
      (row) => row.statement,
    );

  it("Drizzle's and pg-boss's parameterised queries are prepared once per connection from their second run", async () => {
    const query = sql`SELECT ${41}::int + 1 AS answer`;
    expect((await database.db.execute(query)).rows).toEqual([{ answer: 42 }]);
    expect(await prepared()).not.toContain('SELECT $1::int + 1 AS answer');
    expect((await database.db.execute(query)).rows).toEqual([{ answer: 42 }]);
    expect((await database.db.execute(sql`SELECT ${1}::int + 1 AS answer`)).rows).toEqual([{ answer: 2 }]);
    expect(await prepared()).toContain('SELECT $1::int + 1 AS answer');
    // pg-boss's form: text and values.
    for (let run = 0; run < 2; run++) await database.executeSql('SELECT $1::text AS echoed', ['x']);
    expect(await prepared()).toContain('SELECT $1::text AS echoed');
  });

  it('texts without parameters stay unnamed, so several statements in one still run', async () => {
    for (let run = 0; run < 2; run++) {
      const { rows } = await database.executeSql('SELECT 1 AS one; SELECT 2 AS two');
      expect(rows).toEqual([{ two: 2 }]);
    }
  });

  it('a statement whose result columns a migration changed fails once, then runs unnamed', async () => {
    await database.executeSql('CREATE TABLE naming_probe (a int)');
    await database.executeSql('INSERT INTO naming_probe VALUES (1)');
    const read = () => database.executeSql('SELECT * FROM naming_probe WHERE a = $1', [1]);
    await read();
    expect(await read()).toEqual({ rows: [{ a: 1 }] });
    await database.executeSql('ALTER TABLE naming_probe ADD COLUMN b int');
    await expect(read()).rejects.toMatchObject({ code: '0A000' });
    expect(await read()).toEqual({ rows: [{ a: 1, b: null }] });
    expect(await read()).toEqual({ rows: [{ a: 1, b: null }] });
  });
});
