import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Browser } from "playwright-core";
import {
  horizontalOverflow,
  launchBrowser,
  PHONE,
  screenshot,
  startServer,
  watchedPage,
  type RunningServer,
} from "./browser.ts";

describe("search in a browser", () => {
  let browser: Browser;
  let server: RunningServer;

  before(async () => {
    browser = await launchBrowser();
    server = await startServer();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it("searches from the header box in Urdu at 360 px, without JavaScript, and reads right to left", async () => {
    const w = await watchedPage(browser, { ...PHONE, javaScriptEnabled: false });
    try {
      const { page } = w;
      await page.goto(`${server.url}/ur`);
      await page.fill("#site-q", "کیلئے شناختی کارڈ");
      await page.locator(".site-search button").click();
      await page.waitForLoadState("domcontentloaded");
      assert.match(page.url(), /\/ur\/search\?q=/);
      assert.equal(await page.locator("html").getAttribute("dir"), "rtl");
      assert.equal(await page.locator("#f-q").inputValue(), "کیلئے شناختی کارڈ");
      const titles = await page.locator("ol.results > li > a").allInnerTexts();
      assert.ok(titles.length > 0, "results are listed");
      const marks = await page.locator("ol.results mark").allInnerTexts();
      assert.ok(marks.includes("شناختی"), `the matched word is highlighted (${marks.join(", ")})`);
      const direction = await page
        .locator("ol.results .summary")
        .first()
        .evaluate((e) => getComputedStyle(e).direction);
      assert.equal(direction, "rtl");
      const { scrollWidth, viewport } = await horizontalOverflow(page);
      assert.ok(scrollWidth <= viewport, `no sideways scroll (${scrollWidth} > ${viewport})`);
      await screenshot(page, "search-results-ur-360");
      assert.deepEqual(w.problems, []);
    } finally {
      await w.close();
    }
  });

  it("Roman Urdu finds the Urdu article, and the filters narrow the results", async () => {
    const w = await watchedPage(browser, PHONE);
    try {
      const { page } = w;
      await page.goto(`${server.url}/ur/search?q=kampiutar+course`);
      const first = await page.locator("ol.results > li > a").first().innerText();
      assert.match(first, /کمپیوٹر کورس/);
      await page.locator(".search details summary").click();
      await page.selectOption("#f-lang", "en");
      await page.locator(".filters button[type=submit]").click();
      await page.waitForLoadState("domcontentloaded");
      const langs = await page
        .locator("ol.results > li")
        .evaluateAll((els) => els.map((e) => e.getAttribute("lang")));
      assert.ok(
        langs.every((l) => l === "en"),
        `only English results (${langs.join(",")})`,
      );
      assert.deepEqual(w.problems, []);
    } finally {
      await w.close();
    }
  });

  it("suggests titles as the user types, and a suggestion opens the article", async () => {
    const w = await watchedPage(browser, PHONE);
    try {
      const { page } = w;
      await page.goto(`${server.url}/ur`);
      await page.locator("#site-q").pressSequentially("کمپی", { delay: 30 });
      const list = page.locator(".site-search .suggest");
      await list.locator("a").first().waitFor({ state: "visible" });
      assert.equal(await page.locator("#site-q").getAttribute("aria-expanded"), "true");
      const suggestion = await list.locator("a").first().innerText();
      assert.match(suggestion, /کمپیوٹر/);
      await screenshot(page, "search-suggestions-ur-360");
      await page.keyboard.press("ArrowDown");
      await page.keyboard.press("Enter");
      await page.waitForURL(/\/ur\/articles\/[0-9a-z]{7}-/);
      assert.equal((await page.locator("h1").innerText()).trim(), suggestion.replace(/…$/, "").trim());
      assert.deepEqual(w.problems, []);
    } finally {
      await w.close();
    }
  });
});
