import { createHmac } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The Slack Web API on loopback, as far as Klaxon uses it (https://api.slack.com/web):
 * - every method is `POST /api/{method}` with `Authorization: Bearer <bot token>`; a wrong token
 *   answers HTTP 200 `{"ok":false,"error":"invalid_auth"}` as Slack does;
 * - chat.postMessage, chat.update and chat.postEphemeral take JSON bodies
 *   (https://api.slack.com/methods/chat.postMessage, /chat.update, /chat.postEphemeral);
 *   a DM posted to a user id `U…` lands in the conversation `D…`, as Slack answers;
 *   chat.update of an unknown channel+ts is `message_not_found`;
 * - users.lookupByEmail takes form parameters (a read method; JSON is not accepted) and answers
 *   `users_not_found` for an unknown email (https://api.slack.com/methods/users.lookupByEmail);
 * - `rateLimitNext(n)` makes the next call answer HTTP 429 with `Retry-After: n`
 *   (https://api.slack.com/apis/rate-limits);
 * - `failNext()` makes the next call answer HTTP 500, as Slack does when it is down.
 * Requests to Klaxon are signed as Slack signs them: `X-Slack-Signature: v0=` + hex
 * HMAC-SHA256(signing secret, `v0:{timestamp}:{raw body}`), `X-Slack-Request-Timestamp`
 * (https://api.slack.com/authentication/verifying-requests-from-slack).
 */
export const FAKE_SLACK = {
  botToken: 'xoxb-17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy',
  // The signing secret of Slack's own example on the verifying-requests page.
  signingSecret: '8f742231b10e8888abcd99yyyzzz85a5',
};

export interface SlackCall {
  method: string;
  body: Record<string, unknown>;
}

export interface SlackPosted {
  channel: string;
  ts: string;
  text: string;
  blocks: unknown[];
}

export async function startFakeSlack(options: { users?: Record<string, string> } = {}) {
  const calls: SlackCall[] = [];
  const messages: SlackPosted[] = [];
  const users = new Map(Object.entries(options.users ?? {}));
  let next = 0;
  let rateLimited: number | undefined;
  let failing = false;

  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const answer = (body: Record<string, unknown>, status = 200, headers: Record<string, string> = {}) =>
        response.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
      const method = /^\/api\/([a-zA-Z.]+)$/.exec(request.url ?? '')?.[1];
      if (request.method !== 'POST' || method === undefined) return answer({ ok: false, error: 'unknown_method' }, 404);
      if (failing) {
        failing = false;
        return answer({ ok: false, error: 'internal_error' }, 500);
      }
      if (rateLimited !== undefined) {
        const seconds = rateLimited;
        rateLimited = undefined;
        return answer({ ok: false, error: 'ratelimited' }, 429, { 'retry-after': String(seconds) });
      }
      if (request.headers.authorization !== `Bearer ${FAKE_SLACK.botToken}`) {
        return answer({ ok: false, error: 'invalid_auth' });
      }
      const raw = Buffer.concat(chunks).toString('utf8');
      const type = request.headers['content-type'] ?? '';
      const form = method === 'users.lookupByEmail';
      if (form ? !type.startsWith('application/x-www-form-urlencoded') : !type.startsWith('application/json')) {
        return answer({ ok: false, error: 'invalid_arguments' });
      }
      const body = (form ? Object.fromEntries(new URLSearchParams(raw)) : JSON.parse(raw)) as Record<string, unknown>;
      calls.push({ method, body });
      const channel = String(body.channel ?? '');
      switch (method) {
        case 'users.lookupByEmail': {
          const id = users.get(String(body.email ?? '').toLowerCase());
          return id === undefined
            ? answer({ ok: false, error: 'users_not_found' })
            : answer({ ok: true, user: { id, profile: { email: body.email } } });
        }
        case 'chat.postMessage': {
          if (channel === '') return answer({ ok: false, error: 'channel_not_found' });
          next += 1;
          const posted: SlackPosted = {
            channel: channel.startsWith('U') ? `D${channel.slice(1)}` : channel,
            ts: `1765000000.${String(next).padStart(6, '0')}`,
            text: String(body.text ?? ''),
            blocks: (body.blocks as unknown[]) ?? [],
          };
          messages.push(posted);
          return answer({ ok: true, channel: posted.channel, ts: posted.ts, message: { text: posted.text } });
        }
        case 'chat.update': {
          const message = messages.find((m) => m.channel === channel && m.ts === body.ts);
          if (message === undefined) return answer({ ok: false, error: 'message_not_found' });
          message.text = String(body.text ?? '');
          message.blocks = (body.blocks as unknown[]) ?? [];
          return answer({ ok: true, channel, ts: message.ts, text: message.text });
        }
        case 'chat.postEphemeral':
          return answer({ ok: true, message_ts: `1765000001.${String(calls.length).padStart(6, '0')}` });
        default:
          return answer({ ok: false, error: 'unknown_method' });
      }
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;

  /** POSTs a form-encoded request to Klaxon signed as Slack does (or with the given signature/timestamp). */
  async function signedPost(
    url: string,
    form: Record<string, string>,
    override: { signature?: string; timestamp?: number } = {},
  ) {
    const body = new URLSearchParams(form).toString();
    const timestamp = String(override.timestamp ?? Math.floor(Date.now() / 1000));
    const signature =
      override.signature ??
      `v0=${createHmac('sha256', FAKE_SLACK.signingSecret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
    return fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-slack-request-timestamp': timestamp,
        'x-slack-signature': signature,
      },
      body,
    });
  }

  return {
    apiUrl: `http://127.0.0.1:${port}/api`,
    calls,
    messages,
    users,
    rateLimitNext(seconds: number) {
      rateLimited = seconds;
    },
    failNext() {
      failing = true;
    },
    /** A `block_actions` payload as Slack sends it when a button of a message is pressed. */
    interactionForm(slackUserId: string, message: SlackPosted, actionId: string, value: string) {
      const payload = {
        type: 'block_actions',
        user: { id: slackUserId, username: slackUserId.toLowerCase(), team_id: 'T0FAKE' },
        api_app_id: 'A0FAKE',
        token: 'verification-token-not-used',
        container: { type: 'message', message_ts: message.ts, channel_id: message.channel, is_ephemeral: false },
        trigger_id: '13345224609.738474920.8088930838d88f008e0',
        team: { id: 'T0FAKE', domain: 'klaxon-test' },
        channel: { id: message.channel, name: 'incidents' },
        message: { type: 'message', ts: message.ts, text: message.text, blocks: message.blocks },
        response_url: 'https://hooks.slack.com/actions/T0FAKE/1/abc',
        actions: [
          {
            action_id: actionId,
            block_id: 'klaxon_incident',
            text: { type: 'plain_text', text: actionId },
            value,
            type: 'button',
            action_ts: '1765000002.000000',
          },
        ],
      };
      return { payload: JSON.stringify(payload) };
    },
    signedPost,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
