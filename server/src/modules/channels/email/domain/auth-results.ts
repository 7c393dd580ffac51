/**
 * Reads Authentication-Results (RFC 8601) written by the receiving mail server, so a mail whose
 * sender domain failed authentication can be flagged "unverified sender" and kept out of that
 * customer's existing threads (RELIABILITY.md §1, identity spoofing; test plan #23).
 */

export type AuthVerdict = 'pass' | 'fail' | 'softfail' | 'neutral' | 'none' | 'temperror' | 'permerror';

export type AuthResults = {
  spf: AuthVerdict | null;
  dkim: AuthVerdict | null;
  dmarc: AuthVerdict | null;
  /**
   * The sender is not who the From header claims:
   *  - DMARC fail (the domain owner's own policy says so), or
   *  - no usable DMARC verdict (absent, none, temperror…) and SPF fail/softfail with no DKIM pass
   *    (nothing else vouches for the message).
   * A DKIM failure alone is not failing: mailing lists and forwarders break signatures routinely
   * while SPF or another signature still holds. Temporary/permanent errors are "unknown", not fail.
   */
  failing: boolean;
  /** The header values the verdicts were taken from. */
  raw: string[];
};

export type AuthResultsOptions = {
  /**
   * authserv-ids of our own receiving servers (e.g. "mx.google.com" when Gmail receives for us).
   * Only those headers are believed: anyone can put an Authentication-Results header in a mail
   * before sending it. Without this list, only the topmost header (added last, by the server that
   * handed the mail to us) is used.
   */
  trustedAuthServIds?: string[];
};

const VERDICTS: Record<string, AuthVerdict> = {
  pass: 'pass',
  fail: 'fail',
  hardfail: 'fail', // older SPF implementations
  softfail: 'softfail',
  neutral: 'neutral',
  none: 'none',
  temperror: 'temperror',
  permerror: 'permerror',
  policy: 'fail', // RFC 8601 §2.7.1: signature valid but rejected by local policy
  bestguesspass: 'none', // Microsoft: no DMARC record published, would have passed
};

/** Comments "(…)" may nest and may contain ";" and "=", so they go before splitting. */
function stripComments(value: string): string {
  let out = '';
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < value.length && i < 16_384; i++) {
    const c = value[i]!;
    if (quoted) {
      if (c === '\\') i++;
      else if (c === '"') quoted = false;
      if (depth === 0) out += c;
      continue;
    }
    if (c === '"' && depth === 0) {
      quoted = true;
      out += c;
    } else if (c === '(') depth++;
    else if (c === ')' && depth > 0) depth--;
    else if (depth === 0) out += c;
  }
  return out;
}

type Parsed = { authservId: string; results: Array<{ method: string; verdict: AuthVerdict | null }> };

function parseOne(value: string): Parsed {
  const parts = stripComments(value.replace(/\r?\n[ \t]*/g, ' ')).split(';');
  // Microsoft 365 omits the authserv-id and starts with "spf=…"; an id never contains "=".
  const head = parts[0] ?? '';
  const hasId = !/^\s*[a-z0-9][a-z0-9._-]*\s*=/i.test(head);
  const authservId = hasId ? (head.trim().split(/\s+/)[0]?.toLowerCase() ?? '') : '';
  const resinfos = hasId ? parts.slice(1) : parts;
  const results: Parsed['results'] = [];
  for (const r of resinfos) {
    const m = /^\s*([a-z0-9][a-z0-9._-]*)\s*=\s*([a-z]+)/i.exec(r);
    if (!m) continue;
    results.push({ method: m[1]!.toLowerCase(), verdict: VERDICTS[m[2]!.toLowerCase()] ?? null });
  }
  return { authservId, results };
}

const first = (p: Parsed[], method: string) => p.flatMap((x) => x.results).find((r) => r.method === method)?.verdict ?? null;

export function parseAuthenticationResults(values: string[] | undefined, options: AuthResultsOptions = {}): AuthResults {
  const all = (values ?? []).filter((v) => v.trim()).map((v) => ({ v, p: parseOne(v) }));
  const trusted = options.trustedAuthServIds?.map((s) => s.toLowerCase());
  const used = trusted ? all.filter((x) => trusted.includes(x.p.authservId)) : all.slice(0, 1);
  const parsed = used.map((x) => x.p);

  const spf = first(parsed, 'spf');
  // Several signatures are common (author domain + ESP); one pass is enough.
  const dkimAll = parsed.flatMap((x) => x.results).filter((r) => r.method === 'dkim');
  const dkim = dkimAll.some((r) => r.verdict === 'pass') ? 'pass' : (dkimAll[0]?.verdict ?? null);
  const dmarc = first(parsed, 'dmarc');

  const dmarcDecides = dmarc === 'pass' || dmarc === 'fail';
  const failing = dmarc === 'fail' || (!dmarcDecides && (spf === 'fail' || spf === 'softfail') && dkim !== 'pass');
  return { spf, dkim, dmarc, failing, raw: used.map((x) => x.v) };
}

/** Short alias. */
export const parseAuthResults = parseAuthenticationResults;
