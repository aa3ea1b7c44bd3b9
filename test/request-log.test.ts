import { describe, expect, it } from 'vitest';
import { createTestApp } from './helpers/app.js';
import { createIntegration, sendSigned } from './helpers/webhooks.js';

interface LogLine {
  level: number;
  reqId?: string;
  msg: string;
  req?: { method: string; url: string };
  res?: { statusCode: number };
  responseTime?: number;
}

/**
 * At the default level (info) a request writes one log line, when it is answered, with its
 * method, its URL (credentials redacted), its status and its duration; an accepted webhook
 * writes nothing else.
 */
describe('request logging', () => {
  it('one line per request with method, redacted URL, status and duration; nothing more for an accepted webhook', async () => {
    const t = await createTestApp();
    try {
      const admin = await t.createAdmin();
      const integration = await createIntegration(t, admin.apiKey, { name: 'logged', type: 'generic' });
      const linesOf = (reqId: string) =>
        t.logs.map((line) => JSON.parse(line) as LogLine).filter((line) => line.reqId === reqId && line.level >= 30);

      const accepted = await sendSigned(t, integration, { title: 'disk full', dedupKey: 'disk' });
      expect(accepted.statusCode).toBe(202);
      const webhookLines = linesOf(String(accepted.headers['x-request-id']));
      expect(webhookLines).toHaveLength(1);
      expect(webhookLines[0]).toMatchObject({
        msg: 'request completed',
        req: { method: 'POST', url: '/webhooks/alerts/logged' },
        res: { statusCode: 202 },
      });
      expect(webhookLines[0]?.responseTime).toBeTypeOf('number');

      const token = 'tok3n-in-the-path-0123456789';
      const link = await t.request({ method: 'GET', url: `/api/auth/password-links/${token}` });
      const linkLines = linesOf(String(link.headers['x-request-id']));
      expect(linkLines).toHaveLength(1);
      expect(linkLines[0]?.res?.statusCode).toBe(link.statusCode);
      expect(linkLines[0]?.req?.url).toContain('[redacted]');
      expect(t.logs.join('\n')).not.toContain(token);
    } finally {
      await t.close();
    }
  });
});
