import { randomBytes } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { openPostgres } from './client.js';
import { DatabaseUnreachableError, describeConnectionFailure } from './connection-failure.js';

const PASSWORD = 'never-printed-9f2c';
const servers: Server[] = [];
const sockets: Socket[] = [];

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

/** A TCP server on 127.0.0.1 that does `onConnection` with each client, or nothing at all; its port. */
async function listen(onConnection: (socket: Socket) => void = () => {}): Promise<number> {
  const server = createServer((socket) => {
    sockets.push(socket);
    onConnection(socket);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as { port: number }).port;
}

/**
 * A port nothing listens on: tcpmux's, 1, below the ephemeral range, so no other test's listen(0)
 * can take it between choosing and connecting (a port freed by closing a listener could be).
 */
const CLOSED_PORT = 1;

/**
 * What a process's first connection (the start-up lock, before migrating) throws. The timeout is
 * long unless a case is about it, so a loaded machine's slow name lookup is not taken for one.
 */
async function startUpError(url: string, options: { directUrl?: string; connectTimeoutMs?: number } = {}) {
  const database = openPostgres(url, 1, { connectTimeoutMs: options.connectTimeoutMs ?? 10_000 }, options.directUrl);
  try {
    await database.migrate();
    return undefined;
  } catch (error) {
    return error;
  } finally {
    await database.close();
  }
}

describe('a PostgreSQL that cannot be reached at start-up', () => {
  it('nothing listening: says where, which setting, that it was refused, and never the password', async () => {
    const port = CLOSED_PORT;
    const error = await startUpError(`postgres://klaxon:${PASSWORD}@127.0.0.1:${port}/klaxon`);
    expect(error).toBeInstanceOf(DatabaseUnreachableError);
    expect((error as Error).message).toBe(
      `cannot connect to PostgreSQL at 127.0.0.1:${port}/klaxon (DATABASE_URL): connection refused: nothing listens there; is PostgreSQL running, on that port?`,
    );
    expect((error as Error).message).not.toContain(PASSWORD);
    expect(((error as Error).cause as { code?: string }).code).toBe('ECONNREFUSED');
  });

  it('a server that accepts and never answers: the connect timeout, named by its setting', async () => {
    const port = await listen();
    const error = await startUpError(`postgres://klaxon:${PASSWORD}@127.0.0.1:${port}/klaxon`, {
      connectTimeoutMs: 300,
    });
    expect(error).toBeInstanceOf(DatabaseUnreachableError);
    expect((error as Error).message).toContain(`at 127.0.0.1:${port}/klaxon (DATABASE_URL): no answer within 300 ms`);
    expect((error as Error).message).toContain('DATABASE_CONNECT_TIMEOUT_MS');
  });

  it('a server that hangs up at once: closed before the session began', async () => {
    const port = await listen((socket) => socket.destroy());
    const error = await startUpError(`postgres://klaxon:${PASSWORD}@127.0.0.1:${port}/klaxon`);
    expect(error).toBeInstanceOf(DatabaseUnreachableError);
    expect((error as Error).message).toMatch(/closed the connection before the session began$/);
  });

  it('a host name that does not resolve', async () => {
    const error = await startUpError(`postgres://klaxon:${PASSWORD}@klaxon-no-such-host.invalid:5432/klaxon`);
    expect(error).toBeInstanceOf(DatabaseUnreachableError);
    // ENOTFOUND where a resolver answers, EAI_AGAIN where none does: both name the host's name.
    expect((error as Error).message).toMatch(
      /^cannot connect to PostgreSQL at klaxon-no-such-host\.invalid:5432\/klaxon \(DATABASE_URL\): the host name/,
    );
  });

  it('behind a pooler the start-up connection is the direct one, and the message names DATABASE_DIRECT_URL', async () => {
    const [pooler, direct] = [await listen(), CLOSED_PORT];
    const error = await startUpError(`postgres://klaxon:${PASSWORD}@127.0.0.1:${pooler}/klaxon`, {
      directUrl: `postgres://klaxon:${PASSWORD}@127.0.0.1:${direct}/klaxon`,
    });
    expect((error as Error).message).toMatch(
      new RegExp(
        `^cannot connect to PostgreSQL at 127\\.0\\.0\\.1:${direct}/klaxon \\(DATABASE_DIRECT_URL\\): connection refused`,
      ),
    );
  });

  it.runIf(process.env.DATABASE_URL)(
    'a database that does not exist: PostgreSQL says so, and so does the message',
    async () => {
      const url = new URL(process.env.DATABASE_URL as string);
      url.pathname = `/klaxon_missing_${randomBytes(4).toString('hex')}`;
      const error = await startUpError(url.toString());
      expect(error).toBeInstanceOf(DatabaseUnreachableError);
      expect((error as Error).message).toMatch(
        /\(DATABASE_URL\): database "klaxon_missing_[0-9a-f]{8}" does not exist$/,
      );
    },
  );
});

describe('describeConnectionFailure', () => {
  const attempt = { url: 'postgres://u:p@db:5432/k', setting: 'DATABASE_URL' as const, timeoutMs: 5_000 };

  it('leaves any other error as it was', () => {
    const error = Object.assign(new Error('relation "x" does not exist'), { code: '42P01' });
    expect(describeConnectionFailure(error, attempt)).toBe(error);
    expect(describeConnectionFailure('a string', attempt)).toBe('a string');
  });

  it('a connection string that is not a URL is not repeated (it may hold the password)', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const described = describeConnectionFailure(refused, { ...attempt, url: `host=db password=${PASSWORD}` });
    expect((described as Error).message).toMatch(
      /^cannot connect to PostgreSQL at the configured address \(DATABASE_URL\)/,
    );
    expect((described as Error).message).not.toContain(PASSWORD);
  });

  it('a Unix socket directory given as ?host= is where it tried, as pg reads the URL', () => {
    const refused = Object.assign(new Error('connect ENOENT'), { code: 'ECONNREFUSED' });
    const described = describeConnectionFailure(refused, {
      ...attempt,
      url: 'postgres://klaxon@/klaxon?host=/var/run/postgresql',
    });
    expect((described as Error).message).toMatch(
      /^cannot connect to PostgreSQL at \/var\/run\/postgresql:5432\/klaxon /,
    );
  });
});
