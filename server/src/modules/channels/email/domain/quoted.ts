import EmailReplyParser from 'email-reply-parser';
import { sanitiseHtml } from '../../../../platform/html.js';

/**
 * Separates what the sender wrote from the history they quoted, so the timeline can collapse the
 * history behind "show quoted text". Nothing is ever dropped: the message is cut in two at one
 * point, `visibleText + quotedText` is the whole text (up to whitespace at the cut), and the
 * signature is reported as the tail of `visibleText` (talon's convention: a signature is part of
 * the reply, the UI may dim it).
 */
export type QuoteSplit = {
  visibleText: string;
  quotedText: string;
  /** Suffix of visibleText recognised as a signature, or null. */
  signature: string | null;
  visibleHtml: string | null;
  quotedHtml: string | null;
};

// Regex work on the main thread is bounded: beyond this, only the head is examined.
const MAX_SCAN = 200_000;

const WROTE =
  '(wrote|schrieb|a écrit|a ecrit|escribió|escribio|ha scritto|schreef|escreveu|skrev|napisał\\(a\\)|napisał|napisala|napsal|kirjoitti|написал\\(а\\)|написала|написал|yazdı|kirjutas|írta|rašė|escrigué|kirjoittaa|كتب|書きました|写道|寫道|님이 작성|のメッセージ)';
/** "On Tue, 1 Dec 2026, Carla <c@x> wrote:" and its translations, possibly over 3 lines. */
const ON_WROTE = new RegExp(`^\\s*>?\\s*\\S.{0,400}${WROTE}.{0,120}[:：]\\s*$`, 'is');
/** Arabic clients put "كتب" (wrote) mid-line: "في ٢٠٢٦/١٢/١ ، كتب فلان <a@b>:" */
const ARABIC_WROTE = /^\s*.{0,300}كتب.{0,300}[:：]\s*$/s;
/** Mail.ru: "Thu, 26 Jun 2014 14:00:51 +0400 от Alexander L <abc@example.com>:" */
const MAILRU_FROM = /^\s*.{0,80}\d{1,2}:\d{2}.{0,40}\sот\s.{1,200}[:：]\s*$/s;
const HEADER_START = /^\s*(>\s*)?(\d|في|(on|am|le|el|il|op|em|den|w dniu|dne|mon|tue|wed|thu|fri|sat|sun|lun|mar|mer|jeu|ven|sam|dim|mo|di|mi|do|fr|sa|so)\b)/iu;
const isQuoteHeader = (s: string) => ON_WROTE.test(s) || ARABIC_WROTE.test(s) || MAILRU_FROM.test(s);

const ORIGINAL_SEPARATOR =
  /^\s*[-_=*]{2,}\s*(original message|original e-?mail|ursprüngliche nachricht|originalnachricht|message d'origine|message original|messaggio originale|mensaje original|oorspronkelijk bericht|originalmeddelande|opprinnelig melding|oprindelig meddelelse|alkuperäinen viesti|исходное сообщение|původní zpráva|wiadomość oryginalna|mensagem original|orijinal mesaj|الرسالة الأصلية|原始邮件|原始郵件|元のメッセージ)\s*[-_=*]{0,}\s*$/i;

const HEADER_FROM = /^\s*\*?(from|von|de|da|van|från|fra|od|от|lähettäjä|kimden|feladó|من)\s*\*?\s*:\s*\*?\s*\S/i;
const HEADER_SENT = /^\s*\*?(sent|date|gesendet|datum|envoyé|envoye|inviato|data|enviado|enviada|fecha|verzonden|skickat|sendt|wysłano|odesláno|отправлено|дата|lähetetty|päivämäärä|tarih|gönderildi|تاريخ الإرسال|التاريخ|أرسل|أرسلت)\s*\*?\s*:/i;
const HEADER_OTHER = /^\s*\*?(to|an|à|a|para|aan|till|til|do|komu|кому|vastaanottaja|kime|إلى|subject|betreff|objet|oggetto|asunto|assunto|onderwerp|ämne|emne|temat|předmět|тема|aihe|konu|الموضوع|cc)\s*\*?\s*:/i;
const SEPARATOR_LINE = /^\s*[-_=]{5,}\s*$/;

const SIGNATURE_START =
  /^(-- ?|--|__+|sent from my .{1,40}|sent from (outlook|mail|yahoo mail).{0,40}|get outlook for .{1,30}|sent with .{1,60}|von meinem .{1,40} gesendet|gesendet von .{1,40}|envoyé de mon .{1,40}|envoyé depuis .{1,40}|enviado desde mi .{1,40}|enviado do meu .{1,40}|inviato da .{1,40}|verzonden vanaf .{1,40}|отправлено с .{1,40}|أرسلت من .{1,40}|مرسل من .{1,40})\s*$/i;

/** Line start offsets, so a line index can be turned back into a cut position. */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** Earliest quote start found by our own rules, as a line index, or -1. */
function ruleCut(lines: string[]): number {
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (!line.trim()) continue;
    if (ORIGINAL_SEPARATOR.test(line)) return backOverSeparator(lines, i);
    // Outlook-style header block: From: followed closely by Sent:/Date: and To:/Subject:.
    if (HEADER_FROM.test(line)) {
      const next = lines.slice(i + 1, i + 7);
      if (next.some((l) => HEADER_SENT.test(l)) && next.some((l) => HEADER_OTHER.test(l))) return backOverSeparator(lines, i);
    }
    // "On … wrote:" may be wrapped over up to three lines.
    for (let span = 1; span <= 3 && i + span <= lines.length; span++) {
      // A wrapped header never contains an empty line.
      if (span > 1 && !lines[i + span - 1]!.trim()) break;
      const joined = lines.slice(i, i + span).join(' ');
      if (joined.length > 600) break;
      if (isQuoteHeader(joined) && followedByQuoteOrText(lines, i + span)) {
        // "Hello\n02.04.2012 … написал:": when the first line does not look like the start of a
        // header and a later one of the span does, the header starts there.
        if (span > 1 && !HEADER_START.test(lines[i]!)) {
          for (let j = i + 1; j < i + span; j++) if (HEADER_START.test(lines[j]!)) return j;
        }
        return i;
      }
    }
    // A block of "> " lines running to the end (bottom-quoting without a header).
    if (/^\s*>/.test(line) && lines.slice(i).every((l) => !l.trim() || /^\s*>/.test(l))) return i;
  }
  return -1;
}

const followedByQuoteOrText = (lines: string[], from: number) => lines.slice(from).some((l) => l.trim());

/** Outlook puts a rule of underscores or dashes above the header: it belongs to the quote. */
function backOverSeparator(lines: string[], i: number): number {
  let j = i - 1;
  while (j >= 0 && !lines[j]!.trim()) j--;
  return j >= 0 && SEPARATOR_LINE.test(lines[j]!) ? j : i;
}

const LIBRARY_SCAN = 4_000;

/**
 * email-reply-parser only ever splits a text at a line starting with ">", a quote header or a
 * signature line, and it finds them with backtracking regexes over every line: about 1 ms per KB
 * of ordinary prose. Each of its patterns (v2.3) needs one of these words or line shapes, which one
 * linear scan finds; text with none of them is a single visible fragment, so the library is not
 * asked. quoted.test.ts holds this to the library's own answers over the corpora.
 */
const LIBRARY_MAY_SPLIT =
  /^\s*>|^\s*[-_+=]{2,}\s*$|^\s*(from|von|de|van|da)\s?:|[\]|>]\s*:|wrote|écrit|escribió|scritto|escreveu|schrieb|schreef|pisze|napisał|skrev|kirjoitti|写道|작성|のメッセージ|riginal|rindelig|d'origine|rsprüngliche|sent from|outlook|cheers|best wishes|regards|gesendet|sendt fra|envoyé|bien . vous|cordialement|bonne (journ|soir)|enviado desde|verzonden vanaf|verstuurd vanaf/imu;

export const libraryMaySplit = (text: string) => LIBRARY_MAY_SPLIT.test(text);

/** Where email-reply-parser's first quoted fragment starts, as an offset into text, or -1. */
export function libraryCut(text: string): { quote: number; signature: number } {
  const fragments = new EmailReplyParser().read(text).getFragments();
  let cursor = 0;
  let quote = -1;
  let signature = -1;
  for (const f of fragments) {
    const content = f.getContent();
    const probe = content.trim().split('\n')[0]!.slice(0, 24);
    const at = probe ? text.indexOf(probe, cursor) : -1;
    if (at < 0) continue;
    // The library marks hidden/quoted only after the visible reply; a quote at the very top
    // (a forward with nothing added) is still the message itself.
    if (f.isQuoted() && f.isHidden() && quote < 0 && text.slice(0, at).trim()) quote = lineStartOf(text, at);
    if (f.isSignature() && signature < 0 && quote < 0) signature = lineStartOf(text, at);
    cursor = at + probe.length;
  }
  return { quote, signature };
}

const lineStartOf = (text: string, at: number) => text.lastIndexOf('\n', at - 1) + 1;

function findSignature(visible: string, librarySignature: number): string | null {
  const lines = visible.split('\n');
  const starts = lineStarts(visible);
  // A signature is short and at the end; search the last 12 non-blank lines.
  let seen = 0;
  for (let i = lines.length - 1; i > 0 && seen < 12; i--) {
    if (!lines[i]!.trim()) continue;
    seen++;
    if (SIGNATURE_START.test(lines[i]!.trim()) || lines[i] === '-- ') {
      const sig = visible.slice(starts[i]!).trim();
      return sig || null;
    }
  }
  if (librarySignature > 0 && librarySignature < visible.length) {
    const sig = visible.slice(librarySignature).trim();
    if (sig && sig.split('\n').length <= 12) return sig;
  }
  return null;
}

export function splitText(text: string): { visibleText: string; quotedText: string; signature: string | null } {
  const normalised = text.replace(/\r\n?/g, '\n');
  const head = normalised.slice(0, MAX_SCAN);
  const lines = head.split('\n');
  const starts = lineStarts(head);
  const ruleLine = ruleCut(lines);
  // email-reply-parser costs ~20 ms per 20 KB on the worker's event loop; it can only move the cut
  // earlier than our rules, so it reads just the text above their cut, and at most LIBRARY_SCAN.
  const above = head.slice(0, Math.min(ruleLine >= 0 ? starts[ruleLine]! : head.length, LIBRARY_SCAN));
  const lib = libraryMaySplit(above) ? libraryCut(above) : { quote: -1, signature: -1 };
  const candidates = [ruleLine >= 0 ? starts[ruleLine]! : -1, lib.quote].filter((c) => c > 0 && normalised.slice(0, c).trim());
  const cut = candidates.length ? Math.min(...candidates) : normalised.length;
  const visibleText = normalised.slice(0, cut).trimEnd();
  const quotedText = normalised.slice(cut).trim();
  return { visibleText, quotedText, signature: findSignature(visibleText, lib.signature) };
}

// ---------------------------------------------------------------------------------------------
// HTML

/** Attribute a quote-start marker survives the platform sanitiser with (lang is allowed everywhere). */
export const QUOTE_MARKER = 'x-caredesk-quote';

// Where mail clients put quoted history (raw, unsanitised HTML).
const HTML_QUOTE_STARTS: RegExp[] = [
  /<div[^>]*\bclass\s*=\s*["']?[^"'>]*\bgmail_quote\b/i, // Gmail
  /<blockquote[^>]*\btype\s*=\s*["']?cite\b/i, // Apple Mail, Thunderbird
  /<div[^>]*\bclass\s*=\s*["']?[^"'>]*\bmoz-cite-prefix\b/i, // Thunderbird header line
  /<div[^>]*\bid\s*=\s*["']?divRplyFwdMsg\b/i, // Outlook on the web
  /<hr[^>]*\bid\s*=\s*["']?stopSpelling\b/i, // Hotmail
  /<div[^>]*\bid\s*=\s*["']?appendonsend\b/i, // new Outlook
  /<div[^>]*\bclass\s*=\s*["']?[^"'>]*\byahoo_quoted\b/i, // Yahoo
  /<div[^>]*\bclass\s*=\s*["']?[^"'>]*\bOutlookMessageHeader\b/i,
  /<span[^>]*\bid\s*=\s*["']?OLK_SRC_BODY_SECTION\b/i, // Outlook for Mac
  /<div[^>]*\bclass\s*=\s*["']?[^"'>]*\bzmail_extra\b/i, // Zoho
  // Outlook desktop: the header block is a div with a top border above "From:".
  /<div[^>]*style\s*=\s*["'][^"']*border-top\s*:\s*solid\s*#(?:E1E1E1|B5C4DF)[^"']*["'][^>]*>\s*(?:<[^>]+>\s*)*(?:From|Von|De|Da|Van|Från|من)\s*:/i,
  new RegExp(`<[^>]+\\blang\\s*=\\s*["']?${QUOTE_MARKER}`, 'i'),
];

function firstHtmlMarker(html: string): number {
  let best = -1;
  for (const re of HTML_QUOTE_STARTS) {
    const m = re.exec(html);
    if (m && m.index > 0 && (best < 0 || m.index < best)) best = m.index;
  }
  if (best > 0) {
    // Outlook on the web draws a rule right above its header block: it belongs to the quote.
    const hr = /<hr\b[^>]*>\s*$/i.exec(html.slice(Math.max(0, best - 500), best));
    if (hr) best = best - (Math.min(best, 500) - hr.index);
  }
  return best;
}

/**
 * For the parser worker: marks where quoted history starts in raw HTML with an empty element whose
 * `lang` survives sanitising, because the class/id/type attributes that identify quotes do not.
 */
export function markQuoteStart(html: string): string {
  const at = firstHtmlMarker(html.slice(0, 5_000_000));
  return at > 0 ? `${html.slice(0, at)}<span lang="${QUOTE_MARKER}"></span>${html.slice(at)}` : html;
}

/** Text-level markers inside HTML (sanitised HTML keeps no classes): "-----Original Message-----", "On … wrote:", Outlook "From: … Sent:". */
function textMarkerInHtml(html: string): number {
  const re = /<(p|div|blockquote|hr|table)\b[^>]*>/gi;
  let m: RegExpExecArray | null;
  let checked = 0;
  while ((m = re.exec(html)) && checked++ < 5000) {
    if (m.index === 0) continue;
    if (m[1]!.toLowerCase() === 'blockquote' && html.slice(0, m.index).replace(/<[^>]*>/g, '').trim()) {
      // A top-level blockquote after some text; cut at the "On … wrote:" block just before it, if any.
      return headerBefore(html, m.index);
    }
    const snippet = html.slice(m.index, m.index + 1500).replace(/<br\s*\/?>/gi, '\n').replace(/<\/(p|div)>/gi, '\n').replace(/<[^>]*>/g, '').replace(/&nbsp;/g, ' ');
    const lines = snippet.split('\n').slice(0, 8);
    if (lines.some((l) => ORIGINAL_SEPARATOR.test(l))) return m.index;
    const i = lines.findIndex((l) => HEADER_FROM.test(l));
    if (i >= 0 && i < 2 && lines.slice(i + 1).some((l) => HEADER_SENT.test(l)) && lines.slice(i + 1).some((l) => HEADER_OTHER.test(l))) return m.index;
  }
  return -1;
}

function headerBefore(html: string, blockquoteAt: number): number {
  const from = Math.max(0, blockquoteAt - 1500);
  const before = html.slice(from, blockquoteAt);
  // Boundaries where a header line can begin, nearest first: after a line break or block edge.
  const bounds = [...before.matchAll(/<br\s*\/?>|<\/?(p|div)\b[^>]*>/gi)].map((m) => from + m.index! + m[0].length).reverse();
  let tried = 0;
  for (const at of bounds) {
    const text = html.slice(at, blockquoteAt).replace(/<[^>]*>/g, ' ').replace(/&nbsp;/g, ' ').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/\s+/g, ' ').trim();
    if (!text) continue;
    if (isQuoteHeader(text)) return at;
    if (++tried >= 3) break;
  }
  return blockquoteAt;
}

export function splitHtml(html: string): { visibleHtml: string; quotedHtml: string | null } {
  const scan = html.slice(0, 5_000_000);
  const candidates = [firstHtmlMarker(scan), textMarkerInHtml(scan)].filter((c) => c > 0);
  if (!candidates.length) return { visibleHtml: sanitiseHtml(html), quotedHtml: null };
  const cut = Math.min(...candidates);
  // Cutting HTML leaves unclosed tags on one side and stray closers on the other; the
  // sanitiser's parser rebalances both halves (and the result is safe to render either way).
  const visibleHtml = sanitiseHtml(html.slice(0, cut));
  const quotedHtml = sanitiseHtml(html.slice(cut));
  return { visibleHtml, quotedHtml: quotedHtml.trim() ? quotedHtml : null };
}

export function splitQuoted(text: string, html: string | null): QuoteSplit {
  const t = splitText(text);
  const h = html ? splitHtml(html) : { visibleHtml: null, quotedHtml: null };
  return { ...t, visibleHtml: h.visibleHtml, quotedHtml: h.quotedHtml };
}
