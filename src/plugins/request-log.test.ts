import Fastify, { type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { LOG_REDACT_PATHS, LOG_SERIALIZERS } from '../app.js';
import { OneLinePerRequest } from './request-log.js';

const { asJsonSym, timeSym } = pino.symbols as unknown as Record<'asJsonSym' | 'timeSym', symbol>;

async function appWritingTo(lines: string[], extra: Partial<FastifyServerOptions> = {}, mixin?: () => object) {
  const app = Fastify({
    logger: {
      level: 'info',
      redact: { paths: LOG_REDACT_PATHS, censor: '[redacted]' },
      serializers: LOG_SERIALIZERS,
      stream: { write: (line: string) => void lines.push(line) },
      ...(mixin ? { mixin } : {}),
    },
    logController: new OneLinePerRequest(),
    ...extra,
  });
  let answered: { request: FastifyRequest; reply: FastifyReply } | undefined;
  app.addHook('onResponse', async (request, reply) => {
    answered = { request, reply };
  });
  app.post('/webhooks/alerts/:name', async (_request, reply) => reply.code(202).send({ ok: true }));
  await app.ready();
  return { app, answered: () => answered };
}

const requestLines = (lines: string[]) => lines.filter((line) => line.includes('"msg":"request completed"'));

describe('the request line', () => {
  it('is byte for byte the line pino writes for the same request (escaping, redacted URL, duration)', async () => {
    const lines: string[] = [];
    const { app, answered } = await appWritingTo(lines, { genReqId: () => 'id "quoted" \\ \u2028' });
    try {
      const response = await app.inject({
        method: 'POST',
        url: '/webhooks/alerts/prod?token=s3cret&x=%22',
        headers: { host: 'klaxon.example:8080', 'content-type': 'application/json' },
        payload: '{}',
      });
      expect(response.statusCode).toBe(202);
      const [line] = requestLines(lines);
      const { request, reply } = answered() ?? {};
      const written = JSON.parse(line ?? '') as { time: number; responseTime: number };
      const logger = app.log as unknown as Record<symbol, (...args: unknown[]) => string>;
      const pinoLine = logger[asJsonSym]?.call(
        app.log,
        { reqId: request?.id, req: request, res: reply, responseTime: written.responseTime },
        'request completed',
        30,
        `,"time":${written.time}`,
      );
      expect(line).toBe(pinoLine);
      expect(line).toContain('token=[redacted]');
      expect(line).not.toContain('s3cret');
      expect(typeof logger[timeSym]).toBe('function');
    } finally {
      await app.close();
    }
  });

  it('is left to pino when the logger adds to every line (a mixin here)', async () => {
    const lines: string[] = [];
    const { app } = await appWritingTo(lines, {}, () => ({ service: 'klaxon' }));
    try {
      await app.inject({
        method: 'POST',
        url: '/webhooks/alerts/prod',
        headers: { 'content-type': 'application/json' },
        payload: '{}',
      });
      const [line] = requestLines(lines);
      expect(JSON.parse(line ?? '')).toMatchObject({
        service: 'klaxon',
        req: { method: 'POST', url: '/webhooks/alerts/prod' },
        res: { statusCode: 202 },
      });
    } finally {
      await app.close();
    }
  });
});
