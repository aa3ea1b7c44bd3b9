import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * Outgoing requests to URLs that people register (chat and webhook contact methods) must not
 * reach Klaxon's own host or network (SSRF): loopback, private, link-local (cloud metadata),
 * CGNAT, multicast and reserved addresses are refused, when the URL is registered and again at
 * connect time against the address actually resolved, so a name re-pointed later (DNS rebinding)
 * is refused too. Networks in the allowlist (KLAXON_OUTBOUND_ALLOWED_NETWORKS) are let through.
 */
export type AddressClass =
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'unspecified'
  | 'shared (CGNAT)'
  | 'multicast'
  | 'reserved';

/** An IPv4 (4 bytes) or IPv6 (16 bytes) network. */
export interface Network {
  bytes: number[];
  prefix: number;
}

export class OutboundUrlRefusedError extends Error {
  override name = 'OutboundUrlRefusedError';
}

function ipv4Bytes(ip: string): number[] {
  return ip.split('.').map(Number);
}

function ipv6Bytes(ip: string): number[] {
  let text = ip;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted?.[1]) {
    const [a, b, c, d] = ipv4Bytes(dotted[1]) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === undefined || tail === '' ? [] : tail.split(':');
  const missing = 8 - headGroups.length - tailGroups.length;
  const groups = [...headGroups, ...Array<string>(tail === undefined ? 0 : missing).fill('0'), ...tailGroups];
  return groups.flatMap((group) => {
    const value = Number.parseInt(group, 16);
    return [value >> 8, value & 0xff];
  });
}

/** The bytes of an IP address literal, or undefined for anything else (host names included). */
export function addressBytes(ip: string): number[] | undefined {
  const bare = ip.startsWith('[') && ip.endsWith(']') ? ip.slice(1, -1) : ip;
  const family = isIP(bare);
  if (family === 4) return ipv4Bytes(bare);
  if (family === 6) return ipv6Bytes(bare);
  return undefined;
}

function contains(network: Network, bytes: number[]): boolean {
  if (network.bytes.length !== bytes.length) return false;
  for (let bit = 0; bit < network.prefix; bit += 8) {
    const bits = Math.min(8, network.prefix - bit);
    const mask = (0xff << (8 - bits)) & 0xff;
    if (((network.bytes[bit / 8] ?? 0) & mask) !== ((bytes[bit / 8] ?? 0) & mask)) return false;
  }
  return true;
}

/** `10.0.0.0/8`, `fd00::/8`, or a single address (`192.0.2.7`, `::1`). Throws on anything else. */
export function parseNetwork(text: string): Network {
  const [address = '', prefixText, extra] = text.trim().split('/');
  const bytes = addressBytes(address);
  const max = bytes?.length === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? max : Number(prefixText);
  if (bytes === undefined || extra !== undefined || !Number.isInteger(prefix) || prefix < 0 || prefix > max) {
    throw new Error(`"${text}" is not an IP network (like 10.0.0.0/8 or fd00::/8)`);
  }
  return { bytes, prefix };
}

const BLOCKED: Array<[Network, AddressClass]> = (
  [
    ['0.0.0.0/8', 'unspecified'],
    ['10.0.0.0/8', 'private'],
    ['100.64.0.0/10', 'shared (CGNAT)'],
    ['127.0.0.0/8', 'loopback'],
    ['169.254.0.0/16', 'link-local'],
    ['172.16.0.0/12', 'private'],
    ['192.0.0.0/24', 'reserved'],
    ['192.168.0.0/16', 'private'],
    ['198.18.0.0/15', 'reserved'],
    ['224.0.0.0/4', 'multicast'],
    ['240.0.0.0/4', 'reserved'],
    ['::/128', 'unspecified'],
    ['::1/128', 'loopback'],
    ['fc00::/7', 'private'],
    ['fec0::/10', 'private'],
    ['fe80::/10', 'link-local'],
    ['ff00::/8', 'multicast'],
  ] as const
).map(([cidr, kind]) => [parseNetwork(cidr), kind]);

/**
 * IPv6 forms that carry an IPv4 address (mapped, IPv4-compatible, NAT64 and local-use NAT64,
 * 6to4): they reach that IPv4 address, so they are judged by it.
 */
const EMBEDDING: Array<[Network, number]> = [
  [parseNetwork('::ffff:0:0/96'), 12],
  [parseNetwork('::/96'), 12],
  [parseNetwork('64:ff9b::/96'), 12],
  [parseNetwork('64:ff9b:1::/48'), 12],
  [parseNetwork('2002::/16'), 2],
];

/** The IPv4 address an IPv6 address stands for, if it is one of the embedding forms. */
function embeddedIpv4(bytes: number[]): number[] | undefined {
  if (bytes.length !== 16) return undefined;
  for (const [network, offset] of EMBEDDING) {
    if (contains(network, bytes)) return bytes.slice(offset, offset + 4);
  }
  return undefined;
}

/** What kind of non-public address this is; undefined for a public address or a non-address. */
export function classifyAddress(ip: string): AddressClass | undefined {
  const bytes = addressBytes(ip);
  if (bytes === undefined) return undefined;
  const direct = classifyBytes(bytes);
  if (direct !== undefined) return direct;
  const embedded = embeddedIpv4(bytes);
  return embedded === undefined ? undefined : classifyBytes(embedded);
}

/**
 * The named classes first (for a clear message); then every other special-purpose range that
 * ipaddr.js knows (documentation, benchmarking, Teredo, ORCHID, discard…) counts as reserved.
 * Embedding forms are left to the caller, which judges the IPv4 address they carry.
 */
function classifyBytes(bytes: number[]): AddressClass | undefined {
  const named = BLOCKED.find(([network]) => contains(network, bytes))?.[1];
  if (named !== undefined) return named;
  if (embeddedIpv4(bytes) !== undefined) return undefined;
  return ipaddr.fromByteArray(bytes).range() === 'unicast' ? undefined : 'reserved';
}

export interface OutboundGuard {
  /** Why requests to this address are refused, or undefined when they are allowed. */
  refusal(ip: string): string | undefined;
  /** Registration-time check of a URL: scheme, credentials, and every address its host resolves to. */
  checkUrl(raw: string): Promise<void>;
  /** A `lookup` for http(s).request that fails with OutboundUrlRefusedError on a refused address. */
  lookup: LookupFunction;
}

type Resolve = (host: string) => Promise<LookupAddress[]>;

const resolveAll: Resolve = (host) =>
  new Promise((resolve, reject) =>
    dnsLookup(host, { all: true }, (error, addresses) => (error ? reject(error) : resolve(addresses))),
  );

export function createOutboundGuard(allowed: Network[], resolve: Resolve = resolveAll): OutboundGuard {
  function refusal(ip: string): string | undefined {
    const kind = classifyAddress(ip);
    if (kind === undefined) return undefined;
    const bytes = addressBytes(ip) as number[];
    const forms = [bytes, embeddedIpv4(bytes)].filter((form) => form !== undefined);
    if (allowed.some((network) => forms.some((form) => contains(network, form)))) return undefined;
    return `${ip}, which is not a public address (${kind}; KLAXON_OUTBOUND_ALLOWED_NETWORKS can allow it)`;
  }

  const lookup: LookupFunction = (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      const refused = addresses.map((a) => refusal(a.address)).find((reason) => reason !== undefined);
      if (refused !== undefined) {
        return callback(new OutboundUrlRefusedError(`${hostname} resolves to ${refused}`), '', 0);
      }
      if (options.all) return (callback as unknown as (e: null, all: LookupAddress[]) => void)(null, addresses);
      const [first] = addresses;
      callback(null, first?.address ?? '', first?.family ?? 4);
    });
  };

  return {
    refusal,
    lookup,
    async checkUrl(raw: string) {
      let url: URL;
      try {
        url = new URL(raw);
      } catch {
        throw new OutboundUrlRefusedError('is not a valid URL');
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        throw new OutboundUrlRefusedError('must be an http:// or https:// URL');
      }
      if (url.username !== '' || url.password !== '') {
        throw new OutboundUrlRefusedError('must not carry credentials (user:password@)');
      }
      // The WHATWG parser has already turned 0x7f.1, 2130706433 or 0177.0.0.1 into 127.0.0.1.
      if (addressBytes(url.hostname) !== undefined) {
        const reason = refusal(url.hostname.replace(/^\[|\]$/g, ''));
        if (reason !== undefined) throw new OutboundUrlRefusedError(`points to ${reason}`);
        return;
      }
      let addresses: LookupAddress[];
      try {
        addresses = await resolve(url.hostname);
      } catch {
        throw new OutboundUrlRefusedError(`has a host name that does not resolve (${url.hostname})`);
      }
      for (const { address } of addresses) {
        const reason = refusal(address);
        if (reason !== undefined) throw new OutboundUrlRefusedError(`has a host name that resolves to ${reason}`);
      }
    },
  };
}
