import { describe, expect, it } from 'vitest';
import { parseAuthenticationResults as parseAuthResults } from './auth-results.js';

const gmailPass = `mx.google.com;
       dkim=pass header.i=@customer.example header.s=20230601 header.b=Xq1pZ9aB;
       spf=pass (google.com: domain of carla@customer.example designates 209.85.220.41 as permitted sender) smtp.mailfrom=carla@customer.example;
       dmarc=pass (p=REJECT sp=REJECT dis=NONE) header.from=customer.example`;

const gmailSpoof = `mx.google.com;
       spf=softfail (google.com: domain of transitioning ceo@customer.example does not designate 203.0.113.9 as permitted sender) smtp.mailfrom=ceo@customer.example;
       dmarc=fail (p=QUARANTINE sp=QUARANTINE dis=QUARANTINE) header.from=customer.example`;

const m365 = `spf=pass (sender IP is 40.107.22.61) smtp.mailfrom=contoso.com; dkim=pass (signature was verified) header.d=contoso.com;dmarc=pass action=none header.from=contoso.com;compauth=pass reason=100`;

const m365NoDmarc = `spf=fail (sender IP is 198.51.100.7) smtp.mailfrom=fabrikam.example; dkim=none (message not signed) header.d=none;dmarc=none action=none header.from=fabrikam.example;compauth=fail reason=001`;

const m365BestGuess = `spf=pass (sender IP is 40.107.22.61) smtp.mailfrom=small.example; dkim=none (message not signed) header.d=none;dmarc=bestguesspass action=none header.from=small.example;compauth=pass reason=109`;

describe('parseAuthResults', () => {
  it('Gmail, everything passes', () => {
    expect(parseAuthResults([gmailPass])).toEqual({ spf: 'pass', dkim: 'pass', dmarc: 'pass', failing: false, raw: [gmailPass] });
  });

  it('Gmail, spoofed From: DMARC fail is failing', () => {
    expect(parseAuthResults([gmailSpoof])).toMatchObject({ spf: 'softfail', dkim: null, dmarc: 'fail', failing: true });
  });

  it('Microsoft 365 pass, without an authserv-id', () => {
    expect(parseAuthResults([m365])).toMatchObject({ spf: 'pass', dkim: 'pass', dmarc: 'pass', failing: false });
  });

  it('no DMARC policy: SPF fail with no DKIM pass is failing', () => {
    expect(parseAuthResults([m365NoDmarc])).toMatchObject({ spf: 'fail', dkim: 'none', dmarc: 'none', failing: true });
  });

  it('Microsoft bestguesspass means no DMARC record', () => {
    expect(parseAuthResults([m365BestGuess])).toMatchObject({ dmarc: 'none', failing: false });
  });

  it('a mailing list broke DKIM but SPF holds: not failing', () => {
    expect(parseAuthResults(['mx.example; spf=pass smtp.mailfrom=list.example; dkim=fail reason="signature verification failed" header.d=customer.example'])).toMatchObject({
      spf: 'pass',
      dkim: 'fail',
      dmarc: null,
      failing: false,
    });
  });

  it('SPF fail but a valid DKIM signature: not failing', () => {
    expect(parseAuthResults(['mx.example; spf=fail smtp.mailfrom=a.example; dkim=fail header.d=esp.example; dkim=pass header.d=a.example']).failing).toBe(false);
  });

  it('temporary errors are unknown, not failing', () => {
    expect(parseAuthResults(['mx.example; spf=temperror smtp.mailfrom=a.example; dmarc=temperror header.from=a.example'])).toMatchObject({
      spf: 'temperror',
      dmarc: 'temperror',
      failing: false,
    });
  });

  it('comments with ; and = do not confuse the parser', () => {
    expect(parseAuthResults(['mx.example (v=1; note=x;y) ; spf=pass (a;b=c (nested; dkim=fail)) smtp.mailfrom=a.example']).spf).toBe('pass');
    expect(parseAuthResults(['mx.example; spf=pass (a;b=c (nested; dkim=fail)) smtp.mailfrom=a.example']).dkim).toBeNull();
  });

  it('a forged header further down is ignored; trusted authserv-ids select the headers', () => {
    const forged = 'mx.google.com; dmarc=pass header.from=customer.example; spf=pass';
    const real = 'mx.ourmail.example; spf=fail smtp.mailfrom=customer.example; dmarc=fail header.from=customer.example';
    expect(parseAuthResults([real, forged]).failing).toBe(true);
    expect(parseAuthResults([forged, real], { trustedAuthServIds: ['mx.ourmail.example'] })).toMatchObject({ dmarc: 'fail', failing: true, raw: [real] });
    expect(parseAuthResults([forged], { trustedAuthServIds: ['mx.ourmail.example'] })).toEqual({ spf: null, dkim: null, dmarc: null, failing: false, raw: [] });
  });

  it('no header at all: nothing known, not failing', () => {
    expect(parseAuthResults(undefined)).toEqual({ spf: null, dkim: null, dmarc: null, failing: false, raw: [] });
  });
});
