import { createServer } from 'node:net';

/** A TCP port free on loopback right now (for processes that must be told their port in advance). */
export async function freePort(): Promise<number> {
  const reserved = await reservePort();
  await reserved.release();
  return reserved.port;
}

/**
 * A loopback port held open until `release()`: an app that must know its address before it is
 * built (its public URL) keeps the port from every other listen(0) while it is built, and listens
 * on it right after releasing it.
 */
export function reservePort(): Promise<{ port: number; release: () => Promise<void> }> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (typeof address !== 'object' || address === null) return reject(new Error('no port'));
      resolve({ port: address.port, release: () => new Promise((done) => server.close(() => done())) });
    });
  });
}
