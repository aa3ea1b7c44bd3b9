import { PassThrough } from 'node:stream';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { registerRequestDeadline } from './request-deadline.js';

/** An app that answers 401 before reading the body, as the auth hook does. */
async function appRejectingBeforeTheBody(timeoutMs: number) {
  const app = Fastify();
  registerRequestDeadline(app, timeoutMs);
  app.addHook('onRequest', async (_request, reply) => reply.code(401).send({ title: 'Unauthorized' }));
  app.post('/echo', async () => ({ ok: true }));
  await app.ready();
  return app;
}

describe('request deadline', () => {
  it('on an injected request (no real socket) whose body never ends, closes the request without throwing', async () => {
    const app = await appRejectingBeforeTheBody(50);
    const body = new PassThrough();
    body.write('{"partial": ');
    const response = await app.inject({
      method: 'POST',
      url: '/echo',
      headers: { 'content-type': 'application/json' },
      payload: body,
    });
    expect(response.statusCode).toBe(401);
    const failures: unknown[] = [];
    const record = (error: unknown) => failures.push(error);
    process.on('uncaughtException', record);
    try {
      // Past the deadline: the timer fires on a request whose answer was already sent.
      await new Promise((resolve) => setTimeout(resolve, 150));
    } finally {
      process.off('uncaughtException', record);
    }
    expect(failures).toEqual([]);
    await app.close();
  });
});
