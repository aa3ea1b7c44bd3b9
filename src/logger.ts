import type { FastifyServerOptions } from 'fastify';
import { LOG_REDACT_PATHS, LOG_SERIALIZERS } from './app.js';
import type { Config } from './config.js';

export function loggerOptions(config: Pick<Config, 'logLevel'>): FastifyServerOptions['logger'] {
  return {
    level: config.logLevel,
    redact: { paths: LOG_REDACT_PATHS, censor: '[redacted]' },
    serializers: LOG_SERIALIZERS,
  };
}
