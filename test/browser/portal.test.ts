import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Browser } from "playwright-core";
import type { manualClock } from "../../src/db/clock.ts";
import {
  DESKTOP,
  horizontalOverflow,
  launchBrowser,
  PHONE,
  screenshot,
  startServer,
  watchedPage,
  type RunningServer,
} from "./browser.ts";

const TITLE = "جنوبی کوریا کا پاکستان میں انفارمیشن ایکسیس سنٹر کے قیام کا عندیہ";
const MESSAGES = {
  en: { comment: "Please enter your comment!", name: "Please enter your name here" },
  ur: { comment: "براہ کرم اپنا تبصرہ لکھیں!", name: "براہ کرم یہاں اپنا نام لکھیں" },
} as const;

describe("the seed article in a browser", () => {
  let browser: Browser;
  let server: RunningServer;
  let articlePath = "";

  before(async () => {
    browser = await launchBrowser();
    server = await startServer();
    const home = await (await fetch(`${server.url}/ur`)).text();
    articlePath = /href="(\/ur\/articles\/[^"]+)">جنوبی/.exec(home)![1]!;
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  for (const [name, viewport] of [
    ["360", PHONE],
    ["1280", DESKTOP],
  ] as const) {
    it(`reads as the seed page does at ${name} px, in Nastaliq, without sideways scroll`, async () => {
      const w = await watchedPage(browser, viewport);
      try {
        const { page } = w;
        await page.goto(`${server.url}${articlePath}`);
        assert.equal(await page.locator("h1").innerText(), TITLE);
        const order = await page.evaluate(() =>
          [
            ...document.querySelectorAll(
              "article > h1, article > .strap, article > .views, article > figure, .body > .block, .body > aside.also, #comments, #respond",
            ),
          ].map((e) => (e.tagName === "DIV" ? "p" : e.id || e.className || e.tagName.toLowerCase())),
        );
        assert.deepEqual(order, [
          "headline",
          "strap",
          "views",
          "figure",
          "p",
          "p",
          "also",
          "p",
          "p",
          "p",
          "p",
          "p",
          "comments",
          "respond",
        ]);
        assert.match(await page.locator(".views").innerText(), /819|۸۱۹/);
        assert.equal((await page.locator("figure img").getAttribute("alt")) !== "", true);
        assert.match(await page.locator("figcaption").innerText(), /سو سنگپیو/);
        assert.equal(await page.locator("#respond h2").innerText(), "جواب چھوڑیں");
        const fontLoaded = await page.evaluate(async () => {
          await document.fonts.ready;
          return [...document.fonts].some(
            (f) => f.family.replace(/"/g, "") === "Noto Nastaliq Urdu" && f.status === "loaded",
          );
        });
        assert.ok(fontLoaded, "Noto Nastaliq Urdu loaded");
        const { scrollWidth, viewport: width } = await horizontalOverflow(page);
        assert.ok(scrollWidth <= width, `no horizontal scroll (${scrollWidth} > ${width})`);
        await screenshot(page, `article-seed-ur-${name}`);
        assert.deepEqual(w.problems, []);
      } finally {
        await w.close();
      }
    });
  }

  for (const lang of ["en", "ur"] as const) {
    it(`shows the seed's messages for empty fields with JavaScript off (${lang} UI), keeping what was typed`, async () => {
      const w = await watchedPage(browser, { ...PHONE, javaScriptEnabled: false });
      try {
        const { page } = w;
        await page.goto(`${server.url}${articlePath.replace("/ur/", `/${lang}/`)}`);
        await page.locator("form[data-comment-form] button[type=submit]").click();
        await page.waitForLoadState("domcontentloaded");
        assert.equal((await page.locator("#e-comment").innerText()).trim(), MESSAGES[lang].comment);
        assert.equal((await page.locator("#e-author").innerText()).trim(), MESSAGES[lang].name);
        await page.fill("#f-comment", "بہت اچھی خبر ہے");
        await page.locator("form[data-comment-form] button[type=submit]").click();
        await page.waitForLoadState("domcontentloaded");
        assert.equal(await page.locator("#f-comment").inputValue(), "بہت اچھی خبر ہے", "typed text kept");
        assert.equal(await page.locator("#e-comment").isVisible(), false);
        assert.equal((await page.locator("#e-author").innerText()).trim(), MESSAGES[lang].name);
        await screenshot(page, `comment-errors-nojs-${lang}`);
        // The server answered 400 for the refused form: that is the expected refusal, nothing else.
        assert.deepEqual(
          w.problems.filter((p) => !p.startsWith("HTTP 400") && !p.includes("status of 400")),
          [],
        );
      } finally {
        await w.close();
      }
    });

    it(`shows the same messages inline before sending with JavaScript on (${lang} UI)`, async () => {
      const w = await watchedPage(browser, PHONE);
      try {
        const { page } = w;
        await page.goto(`${server.url}${articlePath.replace("/ur/", `/${lang}/`)}`);
        let posted = false;
        page.on("request", (r) => {
          if (r.method() === "POST") posted = true;
        });
        await page.fill("#f-author", "Ayesha");
        await page.locator("form[data-comment-form] button[type=submit]").click();
        await page.waitForTimeout(200);
        assert.equal(posted, false, "nothing was sent");
        assert.equal((await page.locator("#e-comment").innerText()).trim(), MESSAGES[lang].comment);
        assert.equal(await page.locator("#e-author").isVisible(), false);
        assert.equal(await page.locator("#f-author").inputValue(), "Ayesha");
        assert.equal(await page.evaluate(() => document.activeElement?.id), "f-comment");
        assert.deepEqual(w.problems, []);
      } finally {
        await w.close();
      }
    });
  }

  it("takes a comment and says it awaits moderation", async () => {
    const w = await watchedPage(browser, PHONE);
    try {
      const { page } = w;
      await page.goto(`${server.url}${articlePath}`);
      await page.fill("#f-comment", "<b>شکریہ</b> بہت مفید معلومات");
      await page.fill("#f-author", "عائشہ");
      // The form's fill time is measured on the server's clock.
      (server.app.deps.clock as ReturnType<typeof manualClock>).advance(30_000);
      await page.locator("form[data-comment-form] button[type=submit]").click();
      await page.waitForURL(/comment=pending/);
      assert.match(await page.locator("#respond .notice").innerText(), /منظوری/);
      assert.equal(await page.locator("ol.comments").count(), 0, "not shown until approved");
      assert.deepEqual(w.problems, []);
    } finally {
      await w.close();
    }
  });
});
