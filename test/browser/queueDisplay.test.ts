// The queue's TV display in a real Chromium: a ticket called at the desk appears within 3 s
// without a reload, in Urdu and English, the chime fires, and nothing in the page goes wrong (no
// console errors, no CSP violations). Without JavaScript the page refreshes itself instead.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Browser } from "playwright-core";
import { callNext, takeTicket } from "../../src/access/queue.ts";
import { loadCurrentCentre } from "../../src/centres/currentCentre.ts";
import { manualClock } from "../../src/db/clock.ts";
import { seedDemo } from "../../src/demo/seedDemo.ts";
import type { App } from "../../src/server/app.ts";
import { freshDatabase, type TestDatabase } from "../helpers/db.ts";
import { addMember, addPc, anonymous, appWithAccess } from "../access/reservationFixtures.ts";
import { BROWSER_TEST_NOW, launchBrowser, screenshot, watchedPage } from "./browser.ts";

const TV = { viewport: { width: 1280, height: 720 }, deviceScaleFactor: 1 };

describe("queue display on a TV", () => {
  let browser: Browser;
  let tdb: TestDatabase;
  let app: App;
  let url = "";
  let centreId = "";
  let pcId = "";
  let admin = { username: "", password: "" };
  const clock = manualClock(BROWSER_TEST_NOW);

  before(async () => {
    tdb = await freshDatabase("sqlite");
    admin = (await seedDemo(tdb.db, tdb.dataDir, clock)).admin!;
    centreId = (await loadCurrentCentre(tdb.db))!.id;
    pcId = (await addPc(tdb.db, centreId, "Q-07")).id;
    app = await appWithAccess(tdb, clock);
    url = (await app.listen({ port: 0, host: "127.0.0.1" })).replace(/\/$/, "");
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await app?.close();
    await tdb?.drop();
  });

  async function callOne(): Promise<number> {
    await takeTicket(tdb.db, centreId, { actor: anonymous, clock });
    const called = await callNext(tdb.db, centreId, pcId, clock);
    return called!.number;
  }

  test("a newly called ticket shows within 3 s without a reload, in Urdu and English, with a chime", async () => {
    const w = await watchedPage(browser, TV);
    try {
      const { page } = w;
      await page.goto(`${url}/queue/display`);
      assert.equal(await page.locator("html").getAttribute("lang"), "ur");
      assert.equal((await page.locator("#queue-now-number").textContent())?.trim(), "—");
      // Staff touch the TV once to allow sound (browsers ask for a gesture first).
      await page.locator("#queue-sound").click();
      await page.evaluate(() => {
        (window as unknown as { __sameDocument: boolean }).__sameDocument = true;
      });

      const number = await callOne();
      const started = Date.now();
      await page.waitForFunction(
        (n) => document.getElementById("queue-now-number")?.textContent?.trim() === String(n),
        number,
        { timeout: 3000, polling: 100 },
      );
      const took = Date.now() - started;
      assert.ok(took <= 3000, `shown after ${took} ms`);
      assert.equal(
        await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument),
        true,
        "the page was not reloaded",
      );
      assert.equal((await page.locator("#queue-now-pc").textContent())?.trim(), "Q-07");
      assert.equal(
        (await page.locator("#queue-now-ur").textContent())?.trim(),
        `ٹکٹ نمبر ${number}: کمپیوٹر Q-07 پر تشریف لائیں`,
      );
      assert.equal(
        (await page.locator("#queue-now-en").textContent())?.trim(),
        `Ticket ${number}: please go to computer Q-07`,
      );
      assert.equal(await page.locator("#queue-calls li.active").count(), 1);
      assert.equal(await page.locator("#queue-display").getAttribute("data-chimes"), "1", "one chime");
      // The Nastaliq face is what the Urdu line is set in.
      const family = await page.evaluate(
        () => getComputedStyle(document.getElementById("queue-now-ur")!).fontFamily,
      );
      assert.match(family, /Noto Nastaliq Urdu/);

      // A second call chimes again; the first moves down the list.
      const next = await callOne();
      await page.waitForFunction(
        (n) => document.getElementById("queue-now-number")?.textContent?.trim() === String(n),
        next,
        { timeout: 3000, polling: 100 },
      );
      assert.equal(await page.locator("#queue-display").getAttribute("data-chimes"), "2");
      await screenshot(page, "queue-display-1280");
      assert.deepEqual(w.problems, [], w.problems.join("\n"));
    } finally {
      await w.close();
    }
  });

  test("without JavaScript the display refreshes itself every 5 s", async () => {
    const w = await watchedPage(browser, { ...TV, javaScriptEnabled: false });
    try {
      const { page } = w;
      await page.goto(`${url}/queue/display`);
      const before = (await page.locator("#queue-now-number").textContent())?.trim();
      const number = await callOne();
      assert.notEqual(before, String(number));
      const deadline = Date.now() + 8000;
      let shown = before;
      while (Date.now() < deadline && shown !== String(number)) {
        await new Promise((r) => setTimeout(r, 250));
        shown = (
          await page
            .locator("#queue-now-number")
            .textContent()
            .catch(() => null)
        )?.trim();
      }
      assert.equal(shown, String(number));
      assert.deepEqual(w.problems, [], w.problems.join("\n"));
    } finally {
      await w.close();
    }
  });

  test("the self-service screen hands out a ticket with one press", async () => {
    const w = await watchedPage(browser, { viewport: { width: 800, height: 1280 }, deviceScaleFactor: 1 });
    try {
      const { page } = w;
      await page.goto(`${url}/queue/ticket`);
      await page.locator("button.take").click();
      await page.waitForSelector("#ticket-number");
      assert.match((await page.locator("#ticket-number").textContent())?.trim() ?? "", /^\d+$/);
      await screenshot(page, "queue-ticket-800");
      assert.deepEqual(w.problems, [], w.problems.join("\n"));
    } finally {
      await w.close();
    }
  });

  test("the desk's reservation grid and queue page work in the browser without CSP problems", async () => {
    const w = await watchedPage(browser, { viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });
    try {
      const { page } = w;
      const m = await addMember(tdb.db, centreId, clock);
      await page.goto(`${url}/staff/login`);
      await page.fill("#f-username", admin.username);
      await page.fill("#f-password", admin.password);
      await page.locator("main form button[type=submit]").click();
      await page.waitForURL(/\/staff/);
      await page.goto(`${url}/staff/reservations?day=2026-11-26`);
      await page.fill("#book #f-member_no", m.member_no);
      await page.selectOption("#book #f-pc_id", pcId);
      await page.fill("#book #f-start", "10:00");
      await page.selectOption("#book #f-minutes", "30");
      await page.locator("#book button[type=submit]").click();
      await page.waitForURL(/done=booked/);
      assert.equal(await page.locator(`mark:text("${m.member_no}")`).count(), 2, "two slots in the grid");
      // A misaligned time is named beside the field, in the page's language.
      await page.fill("#book #f-member_no", m.member_no);
      await page.fill("#book #f-start", "11:10");
      await page.locator("#book button[type=submit]").click();
      await page.waitForSelector("#book #e-start");
      await screenshot(page, "reservations-desk-1280");
      w.problems.splice(0, w.problems.length, ...w.problems.filter((p) => !/\b400\b/.test(p)));
      await page.goto(`${url}/staff/queue`);
      await page.locator("form[action='/staff/queue/tickets'] button").click();
      await page.waitForURL(/done=issued/);
      await screenshot(page, "queue-desk-1280");
      assert.deepEqual(w.problems, [], w.problems.join("\n"));
    } finally {
      await w.close();
    }
  });
});
