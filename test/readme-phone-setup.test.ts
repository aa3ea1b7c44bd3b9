import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENVIRONMENT_VARIABLES } from '../src/config.js';
import { SLACK_COMMANDS_PATH, SLACK_INTERACTIONS_PATH } from '../src/modules/slack/slack-provider.routes.js';
import { createTestApp, type TestApp } from './helpers/app.js';

/**
 * The README's "Get paged on your phone" is copy-paste set-up: every provider callback URL it
 * gives must be a route Klaxon serves, and the Slack app manifest must point its slash command and
 * interactivity at the Slack routes.
 */
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const section = readme.slice(
  readme.indexOf('## Get paged on your phone'),
  readme.indexOf('\n## ', readme.indexOf('## Get paged on your phone') + 1),
);

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t?.close());

describe("the README's phone and chat set-up", () => {
  it('names every phone, push and chat environment variable the server reads', () => {
    const paging = ENVIRONMENT_VARIABLES.filter((name) =>
      /PHONE|TWILIO|VONAGE|SMS_GATEWAY|NTFY|VAPID|SLACK|PUBLIC_URL/.test(name),
    );
    expect(paging.length).toBeGreaterThanOrEqual(20);
    expect(paging.filter((name) => !section.includes(`\`${name}\``))).toEqual([]);
  });

  it('names every provider callback route, and only routes that exist (POST)', () => {
    const paths = [...new Set([...section.matchAll(/(\/api\/providers\/[a-z0-9/-]+)/g)].map((m) => m[1] ?? ''))];
    expect(paths.length).toBeGreaterThanOrEqual(6);
    for (const path of paths) expect(t.app.hasRoute({ method: 'POST', url: path }), path).toBe(true);
    for (const path of [
      '/api/providers/twilio/sms/inbound',
      '/api/providers/vonage/messages/inbound',
      '/api/providers/vonage/messages/status',
      '/api/providers/sms-gateway/inbound',
      '/api/providers/mattermost/actions',
      SLACK_INTERACTIONS_PATH,
      SLACK_COMMANDS_PATH,
    ]) {
      expect(paths).toContain(path);
    }
  });

  it('has a Slack app manifest with the slash command, interactivity and the scopes the app calls need', () => {
    const manifest = /### Slack[\s\S]*?```yaml\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
    expect(manifest).toContain(`command: /klaxon\n      url: https://klaxon.example.com${SLACK_COMMANDS_PATH}\n`);
    expect(manifest).toMatch(
      new RegExp(
        `interactivity:\\n\\s+is_enabled: true\\n\\s+request_url: https://klaxon\\.example\\.com${SLACK_INTERACTIONS_PATH}\\n`,
      ),
    );
    // chat.postMessage / chat.update / chat.postEphemeral, the slash command, users.lookupByEmail.
    for (const scope of ['chat:write', 'commands', 'users:read', 'users:read.email']) {
      expect(manifest).toContain(`      - ${scope}\n`);
    }
  });
});
