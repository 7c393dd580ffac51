import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { htmlToText } from '../../../../platform/html.js';
import { corpusDir } from './corpus-path.js';
import { closeMailParsers, parseMail } from './parse.js';
import { libraryCut, libraryMaySplit, splitQuoted, splitText } from './quoted.js';

afterAll(() => closeMailParsers());

const squash = (s: string) => s.normalize('NFC').replace(/\s+/g, '');
const norm = (s: string) => s.normalize('NFC').replace(/\s+/g, ' ').trim();
/** Nothing may be lost: visible + quoted is the whole text (whitespace aside). */
const lossless = (text: string) => {
  const r = splitText(text);
  expect(squash(r.visibleText + r.quotedText)).toBe(squash(text));
  if (r.signature) expect(r.visibleText.endsWith(r.signature)).toBe(true);
  return r;
};
/** The reply without its signature (crisp's "first fragment" / "visible text"). */
const withoutSignature = (r: { visibleText: string; signature: string | null }) =>
  r.signature ? r.visibleText.slice(0, r.visibleText.length - r.signature.length) : r.visibleText;

describe('splitQuoted: rules', () => {
  it('Gmail "On … wrote:" over two lines', () => {
    const r = lossless('Thanks, that fixed it.\n\nOn Tue, Dec 1, 2026 at 10:00 AM Support Team <support@helpdesk.example.com>\nwrote:\n> Please restart the printer.\n> Regards');
    expect(r.visibleText).toBe('Thanks, that fixed it.');
    expect(r.quotedText).toMatch(/^On Tue/);
  });

  it('Outlook "-----Original Message-----" and From:/Sent: blocks, localised', () => {
    expect(lossless('Yes please.\n\n-----Original Message-----\nFrom: A\nSent: Monday\nTo: B\nSubject: x\n\nold').visibleText).toBe('Yes please.');
    expect(lossless('Danke!\n\n________________________________\nVon: Support <s@x.de>\nGesendet: Montag, 1. Dezember 2026 10:00\nAn: Kunde\nBetreff: Drucker\n\nalt').visibleText).toBe('Danke!');
    expect(lossless('Merci.\n\nDe : Support <s@x.fr>\nEnvoyé : lundi 1 décembre 2026 10:00\nÀ : Client\nObjet : Imprimante\n\nancien').visibleText).toBe('Merci.');
  });

  it('Arabic "كتب" header', () => {
    const r = lossless('شكرا، تم حل المشكلة.\n\nفي الثلاثاء، ١ ديسمبر ٢٠٢٦، ١٠:٠٠ ص، كتب فريق الدعم <support@helpdesk.example.com>:\n> يرجى إعادة تشغيل الطابعة');
    expect(r.visibleText).toBe('شكرا، تم حل المشكلة.');
    expect(r.quotedText).toContain('يرجى إعادة تشغيل الطابعة');
  });

  it('signature stays in the visible text and is reported', () => {
    const r = lossless('Works now.\n\n-- \nCarla Díaz\nACME Ltd.\n\nOn Mon, Carla wrote:\n> old');
    expect(r.visibleText).toBe('Works now.\n\n-- \nCarla Díaz\nACME Ltd.');
    expect(r.signature).toBe('-- \nCarla Díaz\nACME Ltd.');
    expect(lossless('Hello\n\nSent from my iPhone').signature).toBe('Sent from my iPhone');
  });

  it('"On" in the body is not a quote header; a forward with nothing above stays visible', () => {
    expect(lossless('On Monday the printer broke again.\nIt shows error 5.').quotedText).toBe('');
    expect(lossless('-----Original Message-----\nFrom: A\nSent: Monday\nTo: B\n\nforwarded body').quotedText).toBe('');
  });

  it('HTML: Gmail, Apple Mail and Outlook quotes survive sanitising as a cut point', async () => {
    const raw = `From: c@customer.example\r\nSubject: Re: x\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<div dir="ltr">Thanks!</div><br><div class="gmail_quote"><div class="gmail_attr">On Mon, Support wrote:<br></div><blockquote class="gmail_quote">old text</blockquote></div>\r\n`;
    const m = await parseMail(Buffer.from(raw));
    const r = splitQuoted(m.text, m.html);
    expect(htmlToText(r.visibleHtml ?? '')).toBe('Thanks!');
    expect(htmlToText(r.quotedHtml ?? '')).toContain('old text');
    const apple = splitQuoted('', '<div>Yes</div><div><br><blockquote type="cite"><div>On 1 Dec, A wrote:</div>old</blockquote></div>');
    expect(htmlToText(apple.visibleHtml ?? '')).toBe('Yes');
    const owa = splitQuoted('', '<p>Fine</p><hr style="display:inline-block"><div id="divRplyFwdMsg"><b>From:</b> A<br><b>Sent:</b> Monday</div><div>old</div>');
    expect(htmlToText(owa.visibleHtml ?? '')).toBe('Fine');
    expect(splitQuoted('', '<p>no quote here</p>').quotedHtml).toBeNull();
  });

  // Catastrophic regex backtracking would run for minutes and hit the timeout; a wall-clock
  // assertion here failed on a busy CI machine, so speed itself is left to the benchmarks.
  it('does not blow up on large or hostile text', { timeout: 30_000 }, () => {
    lossless('a'.repeat(300_000) + '\nOn x wrote:\n> y');
    lossless(('On '.repeat(2000) + '\n').repeat(50));
    const nested = splitQuoted('x', '<div class="gmail_quote">'.repeat(20_000));
    expect(nested.visibleText).toBe('x');
  });
});

const re = corpusDir('mail/reply-extraction');
const d = re ? describe : describe.skip;

d('splitQuoted: reply-extraction corpus', () => {
  const root = re ?? '';
  const results: Record<string, { pass: number; total: number; misses: string[] }> = {};
  const score = (group: string, name: string, ok: boolean) => {
    const g = (results[group] ??= { pass: 0, total: 0, misses: [] });
    g.total++;
    if (ok) g.pass++;
    else g.misses.push(name);
  };
  afterAll(() => {
    for (const [g, r] of Object.entries(results)) console.log(`[quoted] ${g}: ${r.pass}/${r.total}${r.misses.length ? ` (missed: ${r.misses.join(', ')})` : ''}`);
  });

  it('crisp email-reply-parser cases (first fragment / visible text)', () => {
    const spec = JSON.parse(readFileSync(path.join(root, 'crisp-email-reply-parser/EXPECTED.json'), 'utf8')) as {
      cases: Record<string, { first_fragment?: string; first_fragment_trimmed?: string; visible_text?: string; visible_text_trimmed?: string }>;
    };
    for (const [f, exp] of Object.entries(spec.cases)) {
      const file = path.join(root, 'crisp-email-reply-parser', f);
      if (!existsSync(file)) continue;
      const r = lossless(readFileSync(file, 'utf8'));
      const want = exp.first_fragment ?? exp.first_fragment_trimmed ?? exp.visible_text ?? exp.visible_text_trimmed;
      if (want === undefined) continue; // fragment_count only: a library-internal notion
      score('crisp', f, norm(withoutSignature(r)) === norm(want) || norm(r.visibleText) === norm(want));
    }
    // Every input of the folder (with or without expectation) must split losslessly.
    for (const f of readdirSync(path.join(root, 'crisp-email-reply-parser')).filter((x) => x.endsWith('.txt'))) {
      lossless(readFileSync(path.join(root, 'crisp-email-reply-parser', f), 'utf8'));
    }
    expect(results.crisp!.pass / results.crisp!.total).toBeGreaterThan(0.7);
  });

  it('talon plain-text replies (parsed from .eml)', async () => {
    const spec = JSON.parse(readFileSync(path.join(root, 'talon/EXPECTED.json'), 'utf8')) as {
      plain_text_reply_extraction: { cases: Record<string, string> };
      html_reply_extraction: { cases: Record<string, string> };
    };
    for (const [f, want] of Object.entries(spec.plain_text_reply_extraction.cases)) {
      const file = path.join(root, 'talon', f);
      if (!existsSync(file)) continue;
      const m = await parseMail(readFileSync(file));
      score('talon-text', f, norm(lossless(m.text).visibleText) === norm(want));
    }
    for (const [f, want] of Object.entries(spec.html_reply_extraction.cases)) {
      const file = path.join(root, 'talon', f);
      if (!existsSync(file)) continue;
      const r = splitQuoted('', readFileSync(file, 'utf8'));
      score('talon-html', f, squash(htmlToText(r.visibleHtml ?? '')) === squash(want));
    }
    const olk = path.join(root, 'talon/OLK_SRC_BODY_SECTION.html');
    if (existsSync(olk)) score('talon-html', 'OLK_SRC_BODY_SECTION.html', htmlToText(splitQuoted('', readFileSync(olk, 'utf8')).visibleHtml ?? '') === 'Reply');
    const share = path.join(root, 'talon/reply-quotations-share-block.eml');
    if (existsSync(share)) {
      const m = await parseMail(readFileSync(share));
      const v = lossless(m.text).visibleText;
      score('talon-text', 'reply-quotations-share-block.eml', v.trim().length > 0 && !v.includes('From'));
    }
    expect(results['talon-text']!.pass).toBeGreaterThanOrEqual(results['talon-text']!.total - 2);
  });

  it('email-reply-parser is skipped only for text it would leave whole', () => {
    // Every file of the mail corpora, whatever its format, is a text someone could send; where the
    // library finds a quote or a signature, the cheap scan must have sent the text to it.
    const walk = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
    let found = 0;
    for (const file of walk(path.dirname(root)).filter((f) => !/\.(json|tsv)$/.test(f))) {
      const text = readFileSync(file, 'utf8').replace(/\r\n?/g, '\n').slice(0, 4_000);
      const lib = libraryCut(text);
      if (lib.quote < 0 && lib.signature < 0) continue;
      found++;
      expect(libraryMaySplit(text), file).toBe(true);
    }
    expect(found).toBeGreaterThan(50);
    expect(libraryMaySplit('Please send the parcel to Riyadh.\n\nشكرا')).toBe(false);
  });

  it('talon signature extraction', () => {
    const dir = path.join(root, 'talon/signature/emails/stripped');
    if (!existsSync(dir)) return;
    for (const f of readdirSync(dir).filter((x) => x.endsWith('_body'))) {
      const name = f.replace(/_body$/, '');
      const want = readFileSync(path.join(dir, `${name}_signature`), 'utf8').trim();
      const r = lossless(readFileSync(path.join(dir, f), 'utf8'));
      score('talon-signature', name, (r.signature ?? '').trim() === want);
    }
  });
});
