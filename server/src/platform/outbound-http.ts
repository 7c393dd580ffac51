import dns from 'node:dns';
import type { LookupAddress } from 'node:dns';
import ipaddr from 'ipaddr.js';
import { Agent, fetch, type RequestInit, type Response } from 'undici';

/**
 * HTTP requests to URLs an administrator typed (a messaging connector's outbound URL) must not
 * reach the machines behind CareDesk: the cloud metadata service, the database, an admin panel on
 * localhost. Only public unicast addresses are allowed, plus the hosts and networks listed in
 * CAREDESK_OUTBOUND_ALLOW for gateways that really live inside. The check runs on the addresses
 * the connection actually uses (inside the DNS lookup of the socket), so a name that resolves to
 * a public address when saved and to 127.0.0.1 when used (DNS rebinding) is still refused.
 */
export class BlockedAddressError extends Error {
  constructor(
    public readonly host: string,
    public readonly address: string,
  ) {
    super(`${host} resolves to ${address}, a private or reserved address; list it in CAREDESK_OUTBOUND_ALLOW if it is meant to be reached`);
  }
}

export interface OutboundPolicy {
  /** Exact host names (lower case) and CIDR ranges that may be reached even when private. */
  allow: string[];
}

type Range = [ipaddr.IPv4 | ipaddr.IPv6, number];

function parseAllow(allow: string[]) {
  const hosts = new Set<string>();
  const ranges: Range[] = [];
  for (const raw of allow) {
    const entry = raw.trim().toLowerCase();
    if (!entry) continue;
    if (entry.includes('/')) ranges.push(ipaddr.parseCIDR(entry));
    else if (ipaddr.isValid(entry)) {
      const ip = ipaddr.process(entry);
      ranges.push([ip, ip.kind() === 'ipv4' ? 32 : 128]);
    } else hosts.add(entry);
  }
  return { hosts, ranges };
}

/** True when `allow` is a valid CAREDESK_OUTBOUND_ALLOW list; else the first bad entry. */
export function invalidAllowEntry(allow: string[]): string | null {
  for (const raw of allow) {
    const e = raw.trim();
    if (!e) continue;
    if (e.includes('/')) {
      try {
        ipaddr.parseCIDR(e);
      } catch {
        return e;
      }
    } else if (!ipaddr.isValid(e) && !/^[a-z0-9.-]+$/i.test(e)) return e;
  }
  return null;
}

export function addressAllowed(address: string, host: string, policy: OutboundPolicy): boolean {
  const { hosts, ranges } = parseAllow(policy.allow);
  if (hosts.has(host.toLowerCase())) return true;
  let ip: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    ip = ipaddr.process(address);
  } catch {
    return false;
  }
  if (ip.range() === 'unicast') return true;
  return ranges.some(([net, bits]) => net.kind() === ip.kind() && ip.match([net, bits] as never));
}

/** An undici dispatcher whose sockets only connect to addresses the policy allows. */
export function guardedAgent(policy: OutboundPolicy): Agent {
  const lookup = (hostname: string, options: dns.LookupOptions, callback: (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void) => {
    dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '', 0);
      const list = addresses as LookupAddress[];
      const blocked = list.find((a) => !addressAllowed(a.address, hostname, policy));
      if (blocked) return callback(Object.assign(new BlockedAddressError(hostname, blocked.address), { code: 'EBLOCKED' }), '', 0);
      if (options.all) return callback(null, list);
      callback(null, list[0]!.address, list[0]!.family);
    });
  };
  return new Agent({ connect: { lookup: lookup as never } });
}

/**
 * Refuses at save time a URL whose host is a literal private address, so the administrator hears
 * of it on the form rather than when the first reply fails. Names are checked when used.
 */
export function literalAddressBlocked(url: URL, policy: OutboundPolicy): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return ipaddr.isValid(host) && !addressAllowed(host, host, policy);
}

/** fetch through the guard; a refused address rejects with the BlockedAddressError as cause. */
export function guardedFetch(agent: Agent, url: string, init: RequestInit): Promise<Response> {
  return fetch(url, { ...init, dispatcher: agent });
}
