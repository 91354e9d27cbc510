// Shared set-up for tests that drive a real Chromium against a real, listening Rasai server.
// The browser is the system's Chromium: these tests never download one.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type BrowserContextOptions, type Page } from "playwright-core";
import { manualClock } from "../../src/db/clock.ts";
import type { Config } from "../../src/config.ts";
import { seedDemo, type SeedReport } from "../../src/demo/seedDemo.ts";
import type { App } from "../../src/server/app.ts";
import { testApp } from "../helpers/app.ts";
import { freshDatabase, type Dialect, type TestDatabase } from "../helpers/db.ts";

const here = path.dirname(fileURLToPath(import.meta.url));
export const ARTIFACTS_DIR = path.resolve(here, "..", "..", "test-artifacts");
export const CHROMIUM_PATH = process.env.RASAI_CHROMIUM ?? "/usr/bin/chromium";

/** The moment the demo is seeded and the server's clock stands at. */
export const BROWSER_TEST_NOW = "2026-11-25T06:00:00Z";

/** A phone of the kind a first-time reader at a centre is likely to hold, and an ordinary desktop. */
export const PHONE: BrowserContextOptions = {
  viewport: { width: 360, height: 740 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
};
export const DESKTOP: BrowserContextOptions = {
  viewport: { width: 1280, height: 800 },
  deviceScaleFactor: 1,
};

export async function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM_PATH)) throw new Error(`Chromium not found at ${CHROMIUM_PATH}`);
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
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
}

export interface RunningServer {
  /** e.g. http://127.0.0.1:41234, without a trailing slash. */
  url: string;
  app: App;
  tdb: TestDatabase;
  seed: SeedReport;
  close(): Promise<void>;
}

/** A fresh database with the demo seeded, served by a real Rasai app on a free local port. */
export async function startServer(
  options: { dialect?: Dialect; config?: Partial<Config> } = {},
): Promise<RunningServer> {
  const tdb = await freshDatabase(options.dialect ?? "sqlite");
  let app: App | undefined;
  try {
    const clock = manualClock(BROWSER_TEST_NOW);
    const seed = await seedDemo(tdb.db, tdb.dataDir, clock);
    app = await testApp(tdb, { clock, config: options.config ?? {} });
    const address = await app.listen({ port: 0, host: "127.0.0.1" });
    const running = app;
    return {
      url: address.replace(/\/$/, ""),
      app: running,
      tdb,
      seed,
      async close() {
        await running.close();
        await tdb.drop();
      },
    };
  } catch (err) {
    await app?.close();
    await tdb.drop();
    // node:test prints little more than the code of a database error: say what failed.
    throw new Error(`could not start a seeded Rasai server: ${(err as Error).message}`, { cause: err });
  }
}

/** Saves a full-page PNG under test-artifacts/ and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const file = path.join(ARTIFACTS_DIR, name.endsWith(".png") ? name : `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

export interface WatchedPage {
  page: Page;
  /**
   * Everything that went wrong in the page so far: console errors, uncaught exceptions,
   * CSP violations, failed requests and HTTP error responses. A healthy page leaves it empty.
   */
  problems: string[];
  close(): Promise<void>;
}

/**
 * Opens a page in its own context and records its problems. CSP violations are reported
 * through an exposed function, so they are caught on every document the page navigates to.
 */
export async function watchedPage(browser: Browser, options: BrowserContextOptions): Promise<WatchedPage> {
  const context = await browser.newContext(options);
  // Fail a stuck wait well inside the test run's own time limit.
  context.setDefaultTimeout(20_000);
  const page = await context.newPage();
  const problems: string[] = [];
  await page.exposeFunction("__rasaiReportCsp", (text: string) => {
    problems.push(`CSP violation: ${text}`);
  });
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      const report = (window as unknown as { __rasaiReportCsp?: (t: string) => void }).__rasaiReportCsp;
      report?.(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} in ${e.documentURI}`);
    });
  });
  page.on("console", (msg) => {
    if (msg.type() === "error") problems.push(`console error: ${msg.text()} (${msg.location().url})`);
  });
  page.on("pageerror", (err) => problems.push(`page error: ${err.message}`));
  page.on("requestfailed", (req) => {
    const error = req.failure()?.errorText ?? "";
    // The browser cancels what is still loading (often the favicon) when the page navigates on:
    // that is the browser's choice, not a failure of the server.
    if (error === "net::ERR_ABORTED") return;
    problems.push(`request failed: ${req.url()} ${error}`);
  });
  page.on("response", (res) => {
    if (res.status() >= 400) problems.push(`HTTP ${res.status()}: ${res.url()}`);
  });
  return { page, problems, close: () => context.close() };
}

/** The page's scroll width beside the viewport's: a wider page scrolls sideways. */
export async function horizontalOverflow(page: Page): Promise<{ scrollWidth: number; viewport: number }> {
  return page.evaluate(() => ({
    scrollWidth: Math.max(document.documentElement.scrollWidth, document.body.scrollWidth),
    viewport: window.innerWidth,
  }));
}
