import { describe, expect, it } from 'vitest';
import { createTestApp } from './helpers/app.js';
import { createIntegration, sendSigned } from './helpers/webhooks.js';

describe('database outage', () => {
  it('webhooks get 503 with Retry-After (never 202), /readyz goes red, /healthz stays up, nothing leaks', async () => {
    const t = await createTestApp();
    try {
      const admin = await t.createAdmin();
      const integration = await createIntegration(t, admin.apiKey, { name: 'outage', type: 'generic' });
      expect((await sendSigned(t, integration, { title: 'before' })).statusCode).toBe(202);

      await t.database.close();

      const during = await sendSigned(t, integration, { title: 'during' });
      expect(during.statusCode).toBe(503);
      expect(during.headers['retry-after']).toBe('5');
      expect(during.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(during.json().type).toMatch(/service-unavailable$/);
      expect(during.body).not.toMatch(/at \w+ \(|SELECT|INSERT/);

      const api = await t.request({ method: 'GET', url: '/api/users', key: admin.apiKey });
      expect(api.statusCode).toBe(503);
      expect((await t.request({ method: 'GET', url: '/readyz' })).statusCode).toBe(503);
      expect((await t.request({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    } finally {
      await t.app.close();
    }
  });
});
