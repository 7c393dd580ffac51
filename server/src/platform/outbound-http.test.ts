import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BlockedAddressError, addressAllowed, guardedAgent, guardedFetch, invalidAllowEntry, literalAddressBlocked } from './outbound-http.js';

let server: http.Server;
let port: number;
beforeAll(async () => {
  server = http.createServer((_req, res) => res.end('inside'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('outbound request guard', () => {
  it('allows public unicast addresses and refuses loopback, private, link-local and reserved ones', () => {
    const none = { allow: [] };
    expect(addressAllowed('93.184.216.34', 'example.com', none)).toBe(true);
    expect(addressAllowed('2606:2800:220:1:248:1893:25c8:1946', 'example.com', none)).toBe(true);
    for (const ip of ['127.0.0.1', '10.1.2.3', '172.16.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', 'fd00::1', 'fe80::1', '::ffff:127.0.0.1'])
      expect(addressAllowed(ip, 'x', none), ip).toBe(false);
  });

  it('lets the operator allow a private network, a single address or a host name', () => {
    expect(addressAllowed('10.9.8.7', 'gw', { allow: ['10.0.0.0/8'] })).toBe(true);
    expect(addressAllowed('10.9.8.7', 'gw', { allow: ['10.9.8.6'] })).toBe(false);
    expect(addressAllowed('192.168.0.9', 'gateway.internal', { allow: ['gateway.internal'] })).toBe(true);
    expect(invalidAllowEntry(['10.0.0.0/8', 'gateway.internal', '::1'])).toBeNull();
    expect(invalidAllowEntry(['10.0.0.0/99'])).toBe('10.0.0.0/99');
  });

  it('refuses at save time a URL whose host is a literal private address', () => {
    expect(literalAddressBlocked(new URL('http://169.254.169.254/x'), { allow: [] })).toBe(true);
    expect(literalAddressBlocked(new URL('http://[::1]/x'), { allow: [] })).toBe(true);
    expect(literalAddressBlocked(new URL('https://api.telegram.org/x'), { allow: [] })).toBe(false);
  });

  it('refuses a name that resolves to loopback when the socket connects (rebinding cannot slip past)', async () => {
    const agent = guardedAgent({ allow: [] });
    try {
      const err = await guardedFetch(agent, `http://localhost:${port}/`, {}).then(
        () => null,
        (e: unknown) => e,
      );
      let cause = err as { cause?: unknown } | null;
      while (cause && !(cause instanceof BlockedAddressError)) cause = cause.cause as never;
      expect(cause).toBeInstanceOf(BlockedAddressError);
    } finally {
      await agent.close();
    }
  });

  it('reaches an allowed private address', async () => {
    const agent = guardedAgent({ allow: ['127.0.0.0/8', '::1'] });
    try {
      const res = await guardedFetch(agent, `http://localhost:${port}/`, {});
      expect(await res.text()).toBe('inside');
    } finally {
      await agent.close();
    }
  });
});
