import type { SlackConfig } from './slack-config.js';

const TIMEOUT_MS = 10_000;

/** An answer of the Web API that is not `ok`: Slack's error code, and Retry-After when rate limited. */
export class SlackApiError extends Error {
  override name = 'SlackApiError';
  constructor(
    readonly code: string,
    /** Seconds Slack asked to wait (HTTP 429 `Retry-After`); undefined for other errors. */
    readonly retryAfterSeconds?: number,
  ) {
    super(`Slack API error: ${code}`);
  }

  /** Worth trying again later: rate limited, Slack unavailable, or no answer. */
  get transient(): boolean {
    return (
      this.retryAfterSeconds !== undefined ||
      ['http_5xx', 'network', 'internal_error', 'fatal_error', 'service_unavailable', 'request_timeout'].includes(
        this.code,
      )
    );
  }
}

export interface SlackBlocksMessage {
  text: string;
  blocks: unknown[];
}

/**
 * The few Web API methods Klaxon calls (https://api.slack.com/web), with the bot token as a
 * Bearer credential and JSON bodies (form parameters for the read method users.lookupByEmail). Slack answers HTTP 200 with `ok: false` and an `error` code
 * for most failures, and HTTP 429 with `Retry-After` when rate limited
 * (https://api.slack.com/apis/rate-limits).
 */
export function createSlackApi(config: Pick<SlackConfig, 'botToken' | 'apiUrl'>) {
  async function call(
    method: string,
    body: Record<string, unknown>,
    encoding: 'json' | 'form' = 'json',
  ): Promise<Record<string, unknown>> {
    let response: Response;
    try {
      response = await fetch(`${config.apiUrl}/${method}`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${config.botToken}`,
          'content-type': encoding === 'json' ? 'application/json; charset=utf-8' : 'application/x-www-form-urlencoded',
        },
        body:
          encoding === 'json'
            ? JSON.stringify(body)
            : new URLSearchParams(Object.entries(body).map(([key, value]) => [key, String(value)])).toString(),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch {
      throw new SlackApiError('network');
    }
    if (response.status === 429) {
      const seconds = Number(response.headers.get('retry-after'));
      throw new SlackApiError('ratelimited', Number.isFinite(seconds) && seconds >= 0 ? seconds : 1);
    }
    if (response.status >= 500) throw new SlackApiError('http_5xx');
    const answer = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    if (answer.ok !== true)
      throw new SlackApiError(typeof answer.error === 'string' ? answer.error : 'invalid_response');
    return answer;
  }

  return {
    /** Posts to a channel id or a user id (a DM from the bot); resolves to where it landed and its ts. */
    async postMessage(channel: string, message: SlackBlocksMessage): Promise<{ channel: string; ts: string }> {
      const answer = await call('chat.postMessage', { channel, ...message, unfurl_links: false, unfurl_media: false });
      if (typeof answer.channel !== 'string' || typeof answer.ts !== 'string') {
        throw new SlackApiError('invalid_response');
      }
      return { channel: answer.channel, ts: answer.ts };
    },
    async update(channel: string, ts: string, message: SlackBlocksMessage): Promise<void> {
      await call('chat.update', { channel, ts, ...message });
    },
    async postEphemeral(channel: string, user: string, text: string): Promise<void> {
      await call('chat.postEphemeral', { channel, user, text });
    },
    /** The Slack user with this email, or undefined when the workspace has none (`users_not_found`). */
    async lookupByEmail(email: string): Promise<{ id: string } | undefined> {
      try {
        // A read method: it takes form parameters, not JSON (https://api.slack.com/web#posting_json).
        const answer = await call('users.lookupByEmail', { email }, 'form');
        const user = answer.user as { id?: unknown } | undefined;
        return typeof user?.id === 'string' ? { id: user.id } : undefined;
      } catch (error) {
        if (error instanceof SlackApiError && error.code === 'users_not_found') return undefined;
        throw error;
      }
    },
  };
}

export type SlackApi = ReturnType<typeof createSlackApi>;
