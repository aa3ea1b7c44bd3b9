#!/usr/bin/env node
/**
 * Sends your first alert to a running Klaxon: creates a `generic` integration, signs a test
 * alert with its secret exactly as a monitoring tool would (HMAC-SHA256 of the body), and posts
 * it to the integration's webhook. Needs only Node.js (no curl, jq or openssl).
 *
 *   KLAXON_API_KEY=klx_… node scripts/first-alert.mjs [--name first-alert] [--url http://127.0.0.1:3000]
 *
 * An integration's secret is shown only when it is created, so when the name is taken the script
 * stops with a message saying what to do instead of creating a second integration.
 */
import { createHmac } from 'node:crypto';
import { parseArgs } from 'node:util';

const HELP = `Usage: KLAXON_API_KEY=klx_… node scripts/first-alert.mjs [--name <integration>] [--url <klaxon url>]

Creates a "generic" integration (default name: first-alert), then sends it one signed test alert.
  --name   the integration to create (lowercase letters, digits and dashes)
  --url    where Klaxon runs (default: $KLAXON_URL or http://127.0.0.1:3000)
An admin's API key comes from the console's "API keys" page (or bootstrap-admin).`;

function stop(message) {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

let options;
try {
  ({ values: options } = parseArgs({
    options: { name: { type: 'string', default: 'first-alert' }, url: { type: 'string' }, help: { type: 'boolean' } },
  }));
} catch (error) {
  stop(`${error.message}\n\n${HELP}`);
}
if (options.help) {
  process.stdout.write(`${HELP}\n`);
  process.exit(0);
}
const base = (options.url ?? process.env.KLAXON_URL ?? 'http://127.0.0.1:3000').replace(/\/+$/, '');
const apiKey = process.env.KLAXON_API_KEY ?? '';
const name = options.name;
if (apiKey === '') {
  stop(
    'Set KLAXON_API_KEY to a platform admin API key: in the console, open "API keys" and create one ' +
      '(it is shown once).\n\n' +
      HELP,
  );
}

async function call(method, path, { body, headers = {} } = {}) {
  let response;
  try {
    response = await fetch(`${base}${path}`, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: typeof body === 'string' || body === undefined ? body : JSON.stringify(body),
    });
  } catch (error) {
    stop(`Cannot reach Klaxon at ${base} (${error.cause?.code ?? error.message}). Is it running (npm start)?`);
  }
  const text = await response.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, json, text };
}

const admin = { authorization: `Bearer ${apiKey}` };
const created = await call('POST', '/api/integrations', { body: { name, type: 'generic' }, headers: admin });
if (created.status === 401) stop('Klaxon refused the API key (401): check KLAXON_API_KEY.');
if (created.status === 403) stop("This API key is not a platform admin's (403): only admins create integrations.");
if (created.status === 409) {
  const list = await call('GET', '/api/integrations', { headers: admin });
  const existing = list.json?.integrations?.find((integration) => integration.name === name);
  const page = existing === undefined ? `${base}/integrations` : `${base}/integrations/${existing.id}`;
  stop(
    `An integration named "${name}" already exists, and its secret was shown only when it was created, ` +
      'so this script cannot sign an alert for it.\n' +
      `  - press "Send test alert" on its page in the console: ${page}\n` +
      `  - or run again with another name: node scripts/first-alert.mjs --name ${name}-2`,
  );
}
if (created.status !== 201) {
  stop(`Creating the integration failed (${created.status}): ${created.json?.detail ?? created.text}`);
}
const integration = created.json;

const body = JSON.stringify({
  title: 'My first Klaxon alert',
  description: 'Sent by scripts/first-alert.mjs. Resolve it in the console, or send it again to see deduplication.',
  severity: 'warning',
  source: 'first-alert',
  dedupKey: `first-alert:${name}`,
  labels: { service: 'klaxon-tour' },
});
const signature = createHmac('sha256', Buffer.from(integration.webhookSecret, 'utf8')).update(body).digest('hex');
const sent = await call('POST', integration.webhook_url, {
  body,
  headers: { [integration.signatureHeader]: signature },
});
if (sent.status !== 202) {
  stop(`The webhook answered ${sent.status}: ${sent.json?.detail ?? sent.text}`);
}
const [alert] = sent.json.alerts;
process.stdout.write(
  [
    `Created the integration "${name}" and sent it a signed test alert (${alert.action}).`,
    `  alert:        ${base}/alerts/${alert.id}`,
    `  deliveries:   ${base}/integrations/${integration.id}`,
    `  webhook URL:  ${base}${integration.webhook_url}`,
    `  secret:       ${integration.webhookSecret}`,
    '                (shown this once: configure your monitoring tool with it, see "Connect your tools")',
    '',
  ].join('\n'),
);
