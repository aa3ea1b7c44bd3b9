import { useEffect, useState } from 'react';
import { api } from './api';
import { ProblemMessage, useAction } from './components';
import type { ContactMethod } from './paging-api';

const SERVICE_WORKER = '/sw.js';

const supported = () => 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window;

/** VAPID keys travel as base64url; PushManager wants the raw bytes. */
function base64urlBytes(value: string): Uint8Array<ArrayBuffer> {
  const base64 = value
    .replace(/-/g, '+')
    .replace(/_/g, '/')
    .padEnd(Math.ceil(value.length / 4) * 4, '=');
  return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
}

function sameKey(subscription: PushSubscription, key: Uint8Array): boolean {
  const current = subscription.options.applicationServerKey;
  if (current === null) return false;
  const bytes = new Uint8Array(current);
  return bytes.length === key.length && bytes.every((byte, i) => byte === key[i]);
}

async function currentSubscription(): Promise<PushSubscription | null> {
  const registration = await navigator.serviceWorker.getRegistration(SERVICE_WORKER);
  return (await registration?.pushManager.getSubscription()) ?? null;
}

/**
 * "Enable push on this device": subscribes this browser to Klaxon's pages (a `webpush` contact
 * method of your own), sends a test, or turns it off again. The notifications have Acknowledge
 * and Resolve buttons, handled by the service worker (web/public/sw.js).
 */
export function PushOnThisDevice({ methods, onChange }: { methods: ContactMethod[]; onChange: () => Promise<void> }) {
  const [endpoint, setEndpoint] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<{ outcome: string; detail: string | null } | null>(null);
  const action = useAction();

  useEffect(() => {
    if (supported()) currentSubscription().then((s) => setEndpoint(s?.endpoint ?? null), action.setError);
  }, [action.setError]);

  if (!supported()) {
    return <p className="help">This browser cannot receive push notifications (or the console is not on HTTPS).</p>;
  }
  const stored = methods.find((method) => method.type === 'webpush' && method.address === endpoint);

  const enable = () =>
    action.run(async () => {
      if ((await Notification.requestPermission()) !== 'granted') {
        throw new Error('Notifications are blocked for this site: allow them in the browser settings first.');
      }
      const registration = await navigator.serviceWorker.register(SERVICE_WORKER);
      await navigator.serviceWorker.ready;
      const { publicKey } = await api<{ publicKey: string }>('GET', '/api/push/vapid-public-key');
      const key = base64urlBytes(publicKey);
      let subscription = await registration.pushManager.getSubscription();
      // Subscribed under another server key (the keys were replaced): start over.
      if (subscription !== null && !sameKey(subscription, key)) {
        await subscription.unsubscribe();
        subscription = null;
      }
      subscription ??= await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
      await api('POST', '/api/push/subscriptions', { ...subscription.toJSON(), label: 'Browser push' });
      setEndpoint(subscription.endpoint);
      await onChange();
    });

  const disable = () =>
    action.run(async () => {
      const subscription = await currentSubscription();
      if (subscription !== null) {
        await api('DELETE', '/api/push/subscriptions', { endpoint: subscription.endpoint });
        await subscription.unsubscribe();
      }
      setEndpoint(null);
      await onChange();
    });

  const test = async () => {
    if (stored === undefined) return;
    const result = await action.run(() =>
      api<{ outcome: string; detail: string | null }>('POST', `/api/contact-methods/${stored.id}/test`),
    );
    if (result !== undefined) setOutcome(result);
  };

  return (
    <section className="card" aria-labelledby="push-title">
      <h2 id="push-title">Push on this device</h2>
      <p className="help">
        Pages arrive as notifications with Acknowledge and Resolve buttons, even with the console closed.
      </p>
      {stored === undefined ? (
        <button type="button" className="small" disabled={action.busy} onClick={enable}>
          Enable push on this device
        </button>
      ) : (
        <>
          <span>Push is on for this device.</span>
          <button type="button" className="small" disabled={action.busy} onClick={test}>
            Send a test
          </button>
          <button type="button" className="secondary small" disabled={action.busy} onClick={disable}>
            Turn off
          </button>
        </>
      )}
      {outcome !== null && (
        <p role="status">
          Test: {outcome.outcome}
          {outcome.detail === null ? '' : ` (${outcome.detail})`}
        </p>
      )}
      <ProblemMessage error={action.error} />
    </section>
  );
}
