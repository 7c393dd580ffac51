/**
 * HTML to PDF with Debian's Chromium through playwright-core: Chromium shapes Arabic, applies the
 * bidi algorithm to mixed lines and draws the SVG charts exactly as the page does. One browser per
 * process, started on first use; pages are opened per document and closed after.
 */
import fs from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { AppError } from '../../../platform/errors.js';

let browser: Promise<Browser> | null = null;

export class PdfUnavailable extends AppError {
  constructor(reason: string) {
    super('reports.pdf_unavailable', 503, `PDF printing is not available on this server: ${reason}`);
  }
}

export function pdfAvailable(chromiumPath: string) {
  return fs.existsSync(chromiumPath);
}

async function getBrowser(chromiumPath: string): Promise<Browser> {
  if (!pdfAvailable(chromiumPath)) throw new PdfUnavailable(`no Chromium at ${chromiumPath}`);
  if (!browser) {
    browser = chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox', '--disable-gpu', '--font-render-hinting=none'] }).catch((err) => {
      browser = null;
      throw new PdfUnavailable(String((err as Error).message ?? err).split('\n')[0]!);
    });
    const b = await browser;
    b.on('disconnected', () => (browser = null));
  }
  return browser;
}

export async function htmlToPdf(chromiumPath: string, html: string, lang: 'en' | 'ar'): Promise<Buffer> {
  const b = await getBrowser(chromiumPath);
  const context = await b.newContext({ locale: lang === 'ar' ? 'ar-SA' : 'en-GB', javaScriptEnabled: false });
  try {
    const page = await context.newPage();
    // The document is self-contained; nothing is fetched.
    await page.route('**/*', (route) => route.abort());
    await page.setContent(html, { waitUntil: 'load' });
    return await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
  } finally {
    await context.close();
  }
}

export async function closePdfBrowser() {
  const b = browser;
  browser = null;
  if (b) await (await b.catch(() => null))?.close();
}
