import { describe, expect, it } from 'vitest';
import { slackSignature, verifySlackSignature } from './slack-signature.js';

// The worked example of https://api.slack.com/authentication/verifying-requests-from-slack
const SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
const TIMESTAMP = '1531420618';
const BODY =
  'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
const SIGNATURE = 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503';
const AT = new Date(Number(TIMESTAMP) * 1000 + 30_000);

describe('Slack request signatures (v0)', () => {
  it("computes Slack's documented example signature", () => {
    expect(slackSignature(SECRET, TIMESTAMP, BODY)).toBe(SIGNATURE);
  });

  it('accepts the example within 5 minutes of its timestamp', () => {
    const headers = { timestamp: TIMESTAMP, signature: SIGNATURE };
    expect(verifySlackSignature(SECRET, headers, Buffer.from(BODY), AT)).toBe(true);
  });

  it('refuses a stale timestamp, a changed body, another secret, and missing headers', () => {
    const headers = { timestamp: TIMESTAMP, signature: SIGNATURE };
    const late = new Date(Number(TIMESTAMP) * 1000 + 5 * 60_000 + 1_000);
    expect(verifySlackSignature(SECRET, headers, Buffer.from(BODY), late)).toBe(false);
    expect(verifySlackSignature(SECRET, headers, Buffer.from(`${BODY}&x=1`), AT)).toBe(false);
    expect(verifySlackSignature('another-secret-0000', headers, Buffer.from(BODY), AT)).toBe(false);
    expect(verifySlackSignature(SECRET, { timestamp: undefined, signature: SIGNATURE }, Buffer.from(BODY), AT)).toBe(
      false,
    );
    expect(verifySlackSignature(SECRET, { timestamp: TIMESTAMP, signature: undefined }, Buffer.from(BODY), AT)).toBe(
      false,
    );
  });
});
