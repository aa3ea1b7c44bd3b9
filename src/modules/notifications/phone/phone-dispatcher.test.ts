import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../config.js';
import type { Database } from '../../../db/client.js';
import type { PhoneRepository } from './phone.repository.js';
import { createPhoneDispatcher } from './phone-dispatcher.js';
import type { PhoneProvider, ProviderAnswer } from './phone-provider.js';

/** Provider choice and failover, with scripted providers and an in-memory record of messages. */
function setup(
  providers: PhoneProvider[],
  providerByCountry: Record<string, 'twilio' | 'vonage' | 'sms-gateway'> = {},
) {
  const rows: Array<{ id: string; provider: string; status: string }> = [];
  const repository = {
    insertMessage: async (_db: unknown, row: { id: string; provider: string; status: string }) => {
      rows.push({ id: row.id, provider: row.provider, status: row.status });
    },
    updateMessage: async (_db: unknown, id: string, changes: { status?: string }) => {
      const row = rows.find((r) => r.id === id);
      if (row && changes.status) row.status = changes.status;
    },
    countSentTo: async () => rows.filter((r) => r.status !== 'not-sent').length,
  } as unknown as PhoneRepository;
  const dispatcher = createPhoneDispatcher({
    db: {} as Database,
    repository,
    config: { allowedCountries: ['1', '44'], rateLimitPerHour: 10, providerByCountry },
    providers,
    now: () => new Date(),
  });
  return { dispatcher, rows };
}

const provider = (
  name: PhoneProvider['name'],
  answer: ProviderAnswer,
  voice = true,
): PhoneProvider & { sent: string[] } => {
  const sent: string[] = [];
  return {
    name,
    sent,
    sendSms: async (to) => {
      sent.push(`sms ${to}`);
      return answer;
    },
    ...(voice
      ? {
          call: async (to: string) => {
            sent.push(`call ${to}`);
            return answer;
          },
        }
      : {}),
  };
};
const ok: ProviderAnswer = { ok: true, providerMessageId: 'id', status: 'queued' };
const down: ProviderAnswer = { ok: false, detail: 'HTTP 503', retryable: true };
const refused: ProviderAnswer = { ok: false, detail: 'HTTP 400', retryable: false };

describe('phone dispatcher', () => {
  it("uses the country's preferred provider first", async () => {
    const twilio = provider('twilio', ok);
    const vonage = provider('vonage', ok);
    const { dispatcher } = setup([twilio, vonage], { '44': 'vonage' });
    expect(await dispatcher.send({ kind: 'sms', to: '+442079460958', text: 'x', purpose: 'test' })).toMatchObject({
      outcome: 'sent',
      detail: 'vonage: queued',
    });
    expect(twilio.sent).toEqual([]);
    await dispatcher.send({ kind: 'sms', to: '+14155550101', text: 'x', purpose: 'test' });
    expect(twilio.sent).toEqual(['sms +14155550101']);
  });

  it('fails over to the next provider when a send fails, and reports every failure when all do', async () => {
    const twilio = provider('twilio', down);
    const vonage = provider('vonage', ok);
    const { dispatcher, rows } = setup([twilio, vonage]);
    expect(await dispatcher.send({ kind: 'sms', to: '+14155550101', text: 'x', purpose: 'test' })).toMatchObject({
      outcome: 'sent',
      detail: 'vonage: queued',
    });
    expect(rows.map((r) => `${r.provider} ${r.status}`)).toEqual(['twilio not-sent', 'vonage queued']);
    const allDown = setup([provider('twilio', down), provider('vonage', refused)]).dispatcher;
    const failed = await allDown.send({ kind: 'sms', to: '+14155550101', text: 'x', purpose: 'test' });
    expect(failed.outcome).toBe('transient_failure');
    expect(failed.detail).toBe('twilio: HTTP 503; vonage: HTTP 400');
    const allRefused = setup([provider('twilio', refused)]).dispatcher;
    expect((await allRefused.send({ kind: 'sms', to: '+14155550101', text: 'x', purpose: 'test' })).outcome).toBe(
      'permanent_failure',
    );
  });

  it('calls only through providers with voice, and refuses countries not allowed', async () => {
    const gateway = provider('sms-gateway', ok, false);
    const { dispatcher } = setup([gateway]);
    expect(await dispatcher.send({ kind: 'voice', to: '+14155550101', text: 'x', purpose: 'test' })).toMatchObject({
      outcome: 'permanent_failure',
      detail: 'no voice provider is configured',
    });
    expect(await dispatcher.send({ kind: 'sms', to: '+33612345678', text: 'x', purpose: 'test' })).toMatchObject({
      outcome: 'permanent_failure',
      detail: 'refused: +33 is not in KLAXON_PHONE_ALLOWED_COUNTRIES',
    });
    expect(gateway.sent).toEqual([]);
  });
});

describe('phone configuration', () => {
  it('needs every variable of a provider, and only configured providers per country', () => {
    expect(() => loadConfig({ KLAXON_TWILIO_ACCOUNT_SID: `AC${'a'.repeat(32)}` })).toThrow(ConfigError);
    expect(() => loadConfig({ KLAXON_TWILIO_ACCOUNT_SID: `AC${'a'.repeat(32)}` })).toThrow(
      /KLAXON_TWILIO_AUTH_TOKEN is required to use twilio/,
    );
    expect(() => loadConfig({ KLAXON_PHONE_PROVIDER_BY_COUNTRY: '44=vonage' })).toThrow(/not configured/);
    expect(() => loadConfig({ KLAXON_PHONE_ALLOWED_COUNTRIES: 'uk' })).toThrow(/KLAXON_PHONE_ALLOWED_COUNTRIES/);
    const config = loadConfig({
      KLAXON_PHONE_ALLOWED_COUNTRIES: '1, 44',
      KLAXON_TWILIO_ACCOUNT_SID: `AC${'a'.repeat(32)}`,
      KLAXON_TWILIO_AUTH_TOKEN: 'token-token-token-token',
      KLAXON_TWILIO_FROM: '+14155550100',
      KLAXON_PHONE_PROVIDER_BY_COUNTRY: '1=twilio',
    });
    expect(config.incidents.phone).toMatchObject({
      allowedCountries: ['1', '44'],
      providerByCountry: { '1': 'twilio' },
      twilio: { baseUrl: 'https://api.twilio.com', from: '+14155550100' },
    });
  });
});
