/**
 * The small HTML pages of one-click links. A GET shows a confirmation whose form POSTs back to
 * the same URL (no `action` attribute), so mail scanners and link unfurlers, which only fetch,
 * never act. No script and no outside resources: the page works under `default-src 'none'`.
 */
import { escapeHtml } from '../../lib/html.js';

/** Headers of every action-link page: never cached, never framed, no referrer carrying the token. */
export const ACTION_PAGE_HEADERS = {
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
} as const;

const page = (body: string) =>
  `<!doctype html><html lang="en"><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><title>Klaxon</title><body style="font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem">${body}</body></html>`;

export function confirmationPage(input: { action: 'acknowledge' | 'resolve'; title: string; status: string }): string {
  const verb = input.action === 'acknowledge' ? 'Acknowledge' : 'Resolve';
  return page(
    `<h1>${verb} this incident?</h1><p>"${escapeHtml(input.title)}" is ${escapeHtml(input.status)}.</p>` +
      `<form method="post"><button type="submit" style="font-size:1.2rem;padding:.6rem 1.4rem">${verb}</button></form>`,
  );
}

export function resultPage(input: {
  action: 'acknowledge' | 'resolve';
  title: string;
  status: string;
  changed: boolean;
}) {
  const verb = input.action === 'acknowledge' ? 'acknowledged' : 'resolved';
  return page(
    `<p>Incident "${escapeHtml(input.title)}" is ${escapeHtml(input.status)}${input.changed ? ` (${verb} by you)` : ''}.</p>`,
  );
}

export const errorPage = (message: string) => page(`<p>${escapeHtml(message)}.</p>`);
