import type { LookupAddress } from 'node:dns';
import { describe, expect, it } from 'vitest';
import { classifyAddress, createOutboundGuard, OutboundUrlRefusedError, parseNetwork } from './outbound-guard.js';

/** Hosts as the WHATWG URL parser leaves them, which is what the guard sees at send time too. */
const hostOf = (url: string) => new URL(url).hostname.replace(/^\[|\]$/g, '');

describe('the WHATWG URL parser normalises odd address spellings before the guard classifies them', () => {
  it.each([
    ['http://0x7f.1/', '127.0.0.1'],
    ['http://2130706433/', '127.0.0.1'],
    ['http://0177.0.0.1/', '127.0.0.1'],
    ['http://127.1/', '127.0.0.1'],
    ['http://0x7f000001/', '127.0.0.1'],
    ['http://0/', '0.0.0.0'],
    ['http://[::ffff:127.0.0.1]/', '::ffff:7f00:1'],
    ['http://[0:0:0:0:0:ffff:7f00:1]/', '::ffff:7f00:1'],
    ['http://[::]/', '::'],
    ['http://[FE80::1]/', 'fe80::1'],
  ])('%s → %s', (url, host) => {
    expect(hostOf(url)).toBe(host);
    expect(classifyAddress(hostOf(url))).toBeDefined();
  });
});

describe('classifyAddress', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['::1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['64:ff9b::7f00:1', 'loopback'],
    ['2002:7f00:1::', 'loopback'],
    ['10.0.0.1', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['fc00::1', 'private'],
    ['fd12:3456::1', 'private'],
    ['::ffff:10.1.2.3', 'private'],
    ['169.254.169.254', 'link-local'],
    ['::ffff:a9fe:a9fe', 'link-local'],
    ['fe80::1', 'link-local'],
    ['febf::1', 'link-local'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['::', 'unspecified'],
    ['100.64.0.1', 'shared (CGNAT)'],
    ['100.127.255.255', 'shared (CGNAT)'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['ff02::1', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['240.0.0.1', 'reserved'],
    // IPv4 carried in IPv6 (compatible, NAT64, local-use NAT64, 6to4) and other special ranges.
    ['::7f00:1', 'loopback'],
    ['::127.0.0.1', 'loopback'],
    ['64:ff9b:1::7f00:1', 'loopback'],
    ['64:ff9b::a00:1', 'private'],
    ['2002:7f00:1::', 'loopback'],
    ['2001:db8::1', 'reserved'],
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'reserved'],
    ['2001:2::1', 'reserved'],
    ['100::1', 'reserved'],
    ['192.0.2.1', 'reserved'],
    ['198.51.100.1', 'reserved'],
    ['203.0.113.1', 'reserved'],
  ])('%s is %s', (ip, kind) => {
    expect(classifyAddress(ip)).toBe(kind);
  });

  it.each([
    '8.8.8.8',
    '1.1.1.1',
    '172.32.0.1',
    '172.15.255.255',
    '100.128.0.1',
    '100.63.255.255',
    '169.253.0.1',
    '2606:4700:4700::1111',
    '::ffff:8.8.8.8',
    '2001:4860:4860::8888',
    '2002:808:808::1',
    '64:ff9b::808:808',
  ])('%s is public', (ip) => {
    expect(classifyAddress(ip)).toBeUndefined();
  });

  it('is undefined for host names', () => {
    expect(classifyAddress('localhost')).toBeUndefined();
    expect(classifyAddress('example.com')).toBeUndefined();
  });
});

describe('parseNetwork', () => {
  it('reads CIDRs and single addresses', () => {
    expect(parseNetwork('10.0.0.0/8')).toEqual({ bytes: [10, 0, 0, 0], prefix: 8 });
    expect(parseNetwork(' 192.0.2.7 ')).toEqual({ bytes: [192, 0, 2, 7], prefix: 32 });
    expect(parseNetwork('fd00::/8').prefix).toBe(8);
    expect(parseNetwork('::1').prefix).toBe(128);
  });

  it.each(['', 'example.com', '10.0.0.0/33', '10.0.0.0/-1', '10.0.0.0/8/8', 'fd00::/129', '10.0.0/8', '10.0.0.0/x'])(
    'refuses %j',
    (text) => {
      expect(() => parseNetwork(text)).toThrow(/is not an IP network/);
    },
  );
});

describe('checkUrl (registration)', () => {
  const dns: Record<string, string[]> = {
    'public.example': ['93.184.216.34', '2606:2800:220:1::1'],
    'internal.example': ['10.0.0.5'],
    'mixed.example': ['93.184.216.34', '192.168.0.9'],
    'metadata.example': ['169.254.169.254'],
    'six.example': ['fd00::5'],
  };
  const resolve = async (host: string): Promise<LookupAddress[]> => {
    const addresses = dns[host];
    if (addresses === undefined) throw new Error(`ENOTFOUND ${host}`);
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  const guard = createOutboundGuard([], resolve);
  const refusedFor = async (url: string) => {
    try {
      await guard.checkUrl(url);
      return undefined;
    } catch (error) {
      expect(error).toBeInstanceOf(OutboundUrlRefusedError);
      return (error as Error).message;
    }
  };

  it('accepts public http(s) URLs', async () => {
    expect(await refusedFor('https://public.example/hooks/T000/B000')).toBeUndefined();
    expect(await refusedFor('http://93.184.216.34:8080/x')).toBeUndefined();
    expect(await refusedFor('https://[2606:4700:4700::1111]/x')).toBeUndefined();
  });

  it.each([
    ['ftp://public.example/x', /http:\/\/ or https:\/\//],
    ['file:///etc/passwd', /http:\/\/ or https:\/\//],
    ['gopher://public.example/', /http:\/\/ or https:\/\//],
    ['not a url', /not a valid URL/],
    ['https://user:secret@public.example/x', /credentials/],
    ['https://token@public.example/x', /credentials/],
    ['http://127.0.0.1/', /127\.0\.0\.1, which is not a public address \(loopback/],
    ['http://0x7f.1/', /127\.0\.0\.1.*loopback/],
    ['http://2130706433/', /127\.0\.0\.1.*loopback/],
    ['http://0177.0.0.1/', /127\.0\.0\.1.*loopback/],
    ['http://[::ffff:127.0.0.1]/', /::ffff:7f00:1.*loopback/],
    ['http://[::1]:3000/', /loopback/],
    ['http://10.0.0.1/', /private/],
    ['http://[fd00::1]/', /private/],
    ['http://169.254.169.254/latest/meta-data/', /link-local/],
    ['http://[fe80::1]/', /link-local/],
    ['http://0.0.0.0:3000/', /unspecified/],
    ['http://[::]/', /unspecified/],
    ['http://100.64.0.1/', /CGNAT/],
    ['http://224.0.0.1/', /multicast/],
    ['http://internal.example/hook', /resolves to 10\.0\.0\.5.*private/],
    ['http://mixed.example/hook', /resolves to 192\.168\.0\.9/],
    ['http://metadata.example/', /link-local/],
    ['http://six.example/', /fd00::5.*private/],
    ['http://nowhere.example/', /does not resolve/],
  ])('refuses %s', async (url, reason) => {
    expect(await refusedFor(url)).toMatch(reason);
  });

  it('lets allowed networks through, including the IPv4-mapped form of an allowed IPv4 address', async () => {
    const allowing = createOutboundGuard([parseNetwork('127.0.0.0/8'), parseNetwork('10.1.0.0/16')], resolve);
    await expect(allowing.checkUrl('http://127.0.0.1:8080/')).resolves.toBeUndefined();
    await expect(allowing.checkUrl('http://[::ffff:127.0.0.1]/')).resolves.toBeUndefined();
    await expect(allowing.checkUrl('http://10.1.2.3/')).resolves.toBeUndefined();
    await expect(allowing.checkUrl('http://10.2.0.1/')).rejects.toThrow(/private/);
    await expect(allowing.checkUrl('http://[::1]/')).rejects.toThrow(/loopback/);
  });
});

describe('lookup (send time: the address actually connected to)', () => {
  const lookupWith = (guard: ReturnType<typeof createOutboundGuard>, host: string, all: boolean) =>
    new Promise<unknown>((resolve, reject) =>
      guard.lookup(host, { all }, (error, address) => (error ? reject(error) : resolve(address))),
    );

  it('refuses a name that resolves to loopback, and allows it when loopback is allowed', async () => {
    await expect(lookupWith(createOutboundGuard([]), 'localhost', false)).rejects.toThrow(
      /localhost resolves to .*loopback/,
    );
    await expect(lookupWith(createOutboundGuard([]), 'localhost', true)).rejects.toBeInstanceOf(
      OutboundUrlRefusedError,
    );
    const allowing = createOutboundGuard([parseNetwork('127.0.0.0/8'), parseNetwork('::1')]);
    expect(await lookupWith(allowing, 'localhost', false)).toMatch(/^(127\.0\.0\.1|::1)$/);
    expect(Array.isArray(await lookupWith(allowing, 'localhost', true))).toBe(true);
  });
});
