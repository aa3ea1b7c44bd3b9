import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { AppError, type ErrorCode, errorCatalog, toProblem } from '../lib/errors.js';

/**
 * A request whose body has not fully arrived `timeoutMs` after its headers is answered 408 and
 * its connection closed. Node's own requestTimeout cuts off slow headers, but (measured on
 * Node 20) not a body trickled a byte at a time, which held a socket and a request open for as
 * long as the client liked (slowloris).
 */
export function registerRequestDeadline(app: FastifyInstance, timeoutMs: number): void {
  app.addHook('onRequest', async (request, reply) => {
    const raw = request.raw;
    if (raw.complete) return;
    const timer = setTimeout(() => {
      if (raw.complete || raw.destroyed) return;
      request.log.warn({ timeoutMs }, 'request body not received in time; closing the connection');
      const error = new AppError('request-timeout', `The request was not received within ${timeoutMs} ms`);
      // `raw.destroy()` closes the connection on a real socket, and is also safe on the
      // socket-less requests of `app.inject()` (which have no `socket.destroy`).
      if (!reply.raw.headersSent) {
        reply.raw.writeHead(408, { 'content-type': 'application/problem+json', connection: 'close' });
        reply.raw.end(JSON.stringify(toProblem(error, request.url.split('?')[0] ?? request.url)), () => raw.destroy());
      } else {
        raw.destroy();
      }
    }, timeoutMs);
    timer.unref();
    const clear = () => clearTimeout(timer);
    raw.once('end', clear);
    raw.once('close', clear);
  });
}

/**
 * Fastify's clientErrorHandler, answering in problem+json: a request Node refused before it
 * became a request (headers too slow, too large, unparsable) gets the same error shape as
 * everything else. Mirrors Fastify's default otherwise.
 */
export function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const code: ErrorCode =
    error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? 'request-timeout'
      : error.code === 'HPE_HEADER_OVERFLOW'
        ? 'headers-too-large'
        : 'bad-request';
  if (socket.writable) {
    const body = JSON.stringify(toProblem(new AppError(code), ''));
    const { status } = errorCatalog[code];
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `Content-Type: application/problem+json\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}
