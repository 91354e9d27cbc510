/**
 * The member card as a PDF, printed by headless Chromium from the card's own print page, so the
 * Nastaliq is shaped by the same engine as at the desk. A server without Chromium gets null and
 * offers only the print page.
 */
import fs from "node:fs";
import { chromium } from "playwright-core";

const CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser"];

/** RASAI_CHROMIUM, else /usr/bin/chromium, else /usr/bin/chromium-browser: the first that exists. */
export function chromiumPath(env: NodeJS.ProcessEnv = process.env): string | null {
  const configured = env.RASAI_CHROMIUM?.trim();
  for (const file of configured ? [configured, ...CANDIDATES] : CANDIDATES) {
    try {
      if (fs.statSync(file).isFile()) return file;
    } catch {
      // not there: try the next
    }
  }
  return null;
}

export interface RenderPdfOptions {
  /** A session cookie for a page behind sign-in (the browser has no other credentials). */
  cookie?: { name: string; value: string; domain: string };
  env?: NodeJS.ProcessEnv;
  /** Milliseconds for loading the page and for printing it; 20 s by default. */
  timeoutMs?: number;
}

/**
 * The page at `url` printed to PDF at ID-1 card size (its CSS @page wins), or null when this
 * server has no Chromium. Throws when the page does not load or answers with an HTTP error.
 * One browser per call: cards are printed one at a time.
 */
export async function renderPdf(url: string, opts: RenderPdfOptions = {}): Promise<Buffer | null> {
  const executablePath = chromiumPath(opts.env);
  if (!executablePath) return null;
  const timeout = opts.timeoutMs ?? 20_000;
  const browser = await chromium.launch({
    executablePath,
    timeout,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
  try {
    const context = await browser.newContext({ javaScriptEnabled: true });
    context.setDefaultTimeout(timeout);
    if (opts.cookie) {
      await context.addCookies([{ ...opts.cookie, path: "/", httpOnly: true, sameSite: "Lax" }]);
    }
    const page = await context.newPage();
    // A page rendered with autoPrint would open a print dialog: there is none to open here.
    await page.addInitScript(() => {
      window.print = () => undefined;
    });
    const response = await page.goto(url, { waitUntil: "networkidle", timeout });
    if (!response || !response.ok()) {
      throw new Error(`renderPdf: ${url} answered ${response ? response.status() : "nothing"}`);
    }
    await page.evaluate(() => document.fonts.ready.then(() => undefined));
    const pdf = await page.pdf({
      width: "85.6mm",
      height: "53.98mm",
      printBackground: true,
      preferCSSPageSize: true,
    });
    return Buffer.from(pdf);
  } finally {
    await browser.close();
  }
}
