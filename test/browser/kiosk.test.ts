import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Browser } from "playwright-core";
import {
  DESKTOP,
  launchBrowser,
  screenshot,
  startServer,
  watchedPage,
  type RunningServer,
} from "./browser.ts";

describe("the kiosk lock screen in a browser", () => {
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

  it("shows Urdu and English side by side, keeps the card field focused, and starts a session with member number and PIN", async () => {
    const w = await watchedPage(browser, DESKTOP);
    try {
      const { page } = w;
      await page.goto(`${server.url}/kiosk/PC-01`);
      assert.equal(await page.locator("html").getAttribute("dir"), "rtl");
      assert.equal(await page.locator("a").count(), 0, "no link leads away from the lock screen");
      assert.equal(
        await page.evaluate(() => document.activeElement?.id),
        "f-card",
        "ready for the barcode scanner",
      );
      assert.match(
        await page.locator("[lang=en]").first().innerText(),
        /Information Access Centre Islamabad/,
      );
      assert.ok((await page.locator("[lang=ur]").allInnerTexts()).some((x) => x.includes("کارڈ اسکین")));
      await screenshot(page, "kiosk-lock-1280");
      const member = await server.tdb.db
        .selectFrom("members")
        .select("member_no")
        .orderBy("member_no")
        .executeTakeFirstOrThrow();
      await page.fill("#f-login", member.member_no);
      await page.fill("#f-pin", "2580");
      await page.locator("form:has(#f-pin) button").click();
      await page.waitForURL(/\/kiosk\/PC-01\/timer$/);
      assert.match(await page.locator("#left").innerText(), /^\d+:\d\d$/);
      assert.equal(await page.locator("form[action='/kiosk/PC-01/end'] button").isVisible(), true);
      await screenshot(page, "kiosk-timer-1280");
      await page.locator("form[action='/kiosk/PC-01/end'] button").click();
      await page.waitForURL(/\/kiosk\/PC-01$/);
      assert.deepEqual(w.problems, []);
    } finally {
      await w.close();
    }
  });

  it("a wrong PIN is refused in both languages without a stack trace", async () => {
    const w = await watchedPage(browser, DESKTOP);
    try {
      const { page } = w;
      await page.goto(`${server.url}/kiosk/PC-02`);
      await page.fill("#f-login", "ISB-01-000001");
      await page.fill("#f-pin", "1111");
      await page.locator("form:has(#f-pin) button").click();
      await page.waitForLoadState("domcontentloaded");
      const alert = await page.locator("[role=alert]").innerText();
      assert.match(alert, /wrong/i);
      assert.match(alert, /[\u0600-\u06FF]/, "and in Urdu");
      await screenshot(page, "kiosk-refused-1280");
      assert.deepEqual(
        w.problems.filter((p) => !p.includes("401")),
        [],
      );
    } finally {
      await w.close();
    }
  });
});
