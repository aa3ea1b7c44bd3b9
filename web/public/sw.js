/**
 * Klaxon's service worker: shows the pages pushed to this browser (see
 * src/modules/notifications/channels/webpush.ts for the payload) and acts on their buttons.
 * Acknowledge and Resolve POST the notification's one-click link, a signed token good for that
 * one action on that one incident; a GET of such a link only shows a confirmation page.
 */
self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('push', (event) => {
  let page;
  try {
    page = event.data ? event.data.json() : {};
  } catch {
    page = { title: 'Klaxon', body: event.data ? event.data.text() : '' };
  }
  const links = page.actions ?? {};
  const actions = [
    ...(links.acknowledge ? [{ action: 'acknowledge', title: 'Acknowledge' }] : []),
    ...(links.resolve ? [{ action: 'resolve', title: 'Resolve' }] : []),
  ];
  event.waitUntil(
    self.registration.showNotification(page.title || 'Klaxon', {
      body: page.body,
      tag: page.incidentId,
      renotify: true,
      // A page stays on screen until someone deals with it.
      requireInteraction: actions.length > 0,
      icon: '/icon-192.png',
      data: page,
      actions,
    }),
  );
});

async function act(page, action) {
  let text;
  try {
    const response = await fetch(page.actions[action], {
      method: 'POST',
      headers: { accept: 'application/json' },
      credentials: 'omit',
    });
    const answer = await response.json().catch(() => ({}));
    text = response.ok
      ? `${action === 'acknowledge' ? 'Acknowledged' : 'Resolved'} (now ${answer.status})`
      : answer.detail || answer.title || `Klaxon answered ${response.status}`;
  } catch {
    text = 'Klaxon could not be reached: open the incident instead';
  }
  await self.registration.showNotification(page.title || 'Klaxon', {
    body: text,
    tag: page.incidentId,
    icon: '/icon-192.png',
    data: { url: page.url },
  });
}

async function open(url) {
  const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  const existing = windows.find((client) => client.url === url);
  if (existing) return existing.focus();
  return self.clients.openWindow(url);
}

self.addEventListener('notificationclick', (event) => {
  const page = event.notification.data ?? {};
  event.notification.close();
  if ((event.action === 'acknowledge' || event.action === 'resolve') && page.actions?.[event.action]) {
    event.waitUntil(act(page, event.action));
  } else if (page.url) {
    event.waitUntil(open(page.url));
  }
});
