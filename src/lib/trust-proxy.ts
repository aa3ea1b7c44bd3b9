import ipaddr from 'ipaddr.js';

/**
 * KLAXON_TRUST_PROXY: whose X-Forwarded-For and X-Forwarded-Proto to believe. `false`: nobody's
 * (the socket's peer is the client); `nearest-hop` (`true`): the peer that connected, whatever
 * its address; otherwise only peers in these addresses and CIDR ranges.
 */
export type TrustProxy = false | 'nearest-hop' | string[];

/** Parses the variable's text; throws with what a valid value looks like. */
export function parseTrustProxy(text: string): TrustProxy {
  const value = text.trim();
  if (value === 'false') return false;
  if (value === 'true') return 'nearest-hop';
  const entries = value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  for (const entry of entries) {
    const valid = entry.includes('/') ? isCidr(entry) : ipaddr.isValid(entry);
    if (!valid) throw new Error(`"${entry}" is not an IP address or CIDR range`);
  }
  if (entries.length === 0) throw new Error('is empty');
  return entries;
}

function isCidr(text: string): boolean {
  try {
    ipaddr.parseCIDR(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * Fastify's `trustProxy` for a setting. Fastify's own `true` would trust every hop (so a client
 * could name any address in X-Forwarded-For) and a hop count does not apply to the protocol; a
 * function trusting only hop 0 (the peer that connected) does both as intended.
 */
export function fastifyTrustProxy(
  setting: TrustProxy,
): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (setting === false) return false;
  if (setting === 'nearest-hop') return (_address, hop) => hop === 0;
  return setting;
}
