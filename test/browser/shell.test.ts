// The public shell in a real browser: language and direction, the Nastaliq face, no sideways
// scrolling on a small phone, the seed article reachable from the home page, the language
// switch, and a clean console with no CSP violations. Screenshots go to test-artifacts/.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Browser, BrowserContextOptions, Page } from "playwright-core";
import {
  DESKTOP,
  PHONE,
  horizontalOverflow,
  launchBrowser,
  screenshot,
  startServer,
  watchedPage,
  type RunningServer,
  type WatchedPage,
} from "./browser.ts";

const SEED_TITLE = "جنوبی کوریا کا پاکستان میں انفارمیشن ایکسیس سنٹر کے قیام کا عندیہ";
const URDU_FAMILY = "Noto Nastaliq Urdu";

const VIEWPORTS: { name: string; options: BrowserContextOptions; width: number }[] = [
  { name: "360", options: PHONE, width: 360 },
  { name: "1280", options: DESKTOP, width: 1280 },
];

/** Whether the Urdu face is ready for Urdu text, and the status of every FontFace of that family. */
async function urduFont(page: Page): Promise<{ check: boolean; statuses: string[] }> {
  return page.evaluate(async (family) => {
    await document.fonts.ready;
    const statuses: string[] = [];
    document.fonts.forEach((face) => {
      if (face.family.replace(/["']/g, "") === family) statuses.push(face.status);
    });
    return { check: document.fonts.check(`16px "${family}"`, "جنوبی"), statuses };
  }, URDU_FAMILY);
}

async function assertUrduFontLoaded(page: Page): Promise<void> {
  const font = await urduFont(page);
  assert.equal(font.check, true, "document.fonts.check for the Nastaliq face");
  assert.ok(
    font.statuses.includes("loaded"),
    `a "${URDU_FAMILY}" FontFace is loaded (statuses: ${font.statuses.join(", ") || "none declared"})`,
  );
}

async function assertNoSidewaysScroll(page: Page, width: number): Promise<void> {
  const { scrollWidth, viewport } = await horizontalOverflow(page);
  assert.ok(
    scrollWidth <= viewport && scrollWidth <= width,
    `page is ${scrollWidth}px wide in a ${viewport}px viewport`,
  );
}

async function assertDocumentLanguage(page: Page, lang: "ur" | "en"): Promise<void> {
  const html = page.locator("html");
  assert.equal(await html.getAttribute("lang"), lang);
  assert.equal(await html.getAttribute("dir"), lang === "ur" ? "rtl" : "ltr");
  const computed = await page.evaluate(() => getComputedStyle(document.body).direction);
  assert.equal(computed, lang === "ur" ? "rtl" : "ltr");
}

function assertClean(watched: WatchedPage): void {
  assert.deepEqual(watched.problems, [], "no console errors, CSP violations or failed requests");
}

describe("public shell in Chromium", () => {
  let browser: Browser;
  let server: RunningServer;

  // Assigned one by one, so a server that fails to start still leaves a browser for after() to close.
  before(async () => {
    browser = await launchBrowser();
    server = await startServer();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  for (const vp of VIEWPORTS) {
    for (const lang of ["ur", "en"] as const) {
      test(`/${lang} at ${vp.name}px: language, direction, fonts, layout`, async () => {
        const watched = await watchedPage(browser, vp.options);
        try {
          const { page } = watched;
          const res = await page.goto(`${server.url}/${lang}`, { waitUntil: "load" });
          assert.equal(res?.status(), 200);
          await assertDocumentLanguage(page, lang);
          if (lang === "ur") {
            await assertUrduFontLoaded(page);
            const link = page.locator("main .list a", { hasText: SEED_TITLE });
            assert.equal(await link.count(), 1, "the seed article is listed");
            assert.equal((await link.textContent())?.trim(), SEED_TITLE);
          }
          await assertNoSidewaysScroll(page, vp.width);
          await screenshot(page, `home-${lang}-${vp.name}.png`);
          assertClean(watched);
        } finally {
          await watched.close();
        }
      });
    }

    test(`seed article opens from /ur at ${vp.name}px`, async () => {
      const watched = await watchedPage(browser, vp.options);
      try {
        const { page } = watched;
        await page.goto(`${server.url}/ur`, { waitUntil: "load" });
        await Promise.all([
          page.waitForURL(/\/ur\/articles\//, { waitUntil: "load" }),
          page.locator("main .list a", { hasText: SEED_TITLE }).click(),
        ]);
        await assertDocumentLanguage(page, "ur");
        const h1 = page.locator("main h1");
        assert.equal(await h1.count(), 1);
        assert.equal((await h1.textContent())?.trim(), SEED_TITLE);
        assert.equal(await page.locator("article").getAttribute("lang"), "ur");
        await page.locator("img.lead").evaluate((img) => (img as HTMLImageElement).decode());
        const image = await page
          .locator("img.lead")
          .evaluate((img) => ({ natural: (img as HTMLImageElement).naturalWidth, shown: img.clientWidth }));
        assert.ok(image.natural > 0, "the lead image loaded");
        assert.ok(image.shown <= vp.width, "the lead image fits the viewport");
        await assertUrduFontLoaded(page);
        await assertNoSidewaysScroll(page, vp.width);
        await screenshot(page, `article-ur-${vp.name}.png`);
        assertClean(watched);
      } finally {
        await watched.close();
      }
    });
  }

  test("the language switch on /ur leads to /en", async () => {
    const watched = await watchedPage(browser, PHONE);
    try {
      const { page } = watched;
      await page.goto(`${server.url}/ur`, { waitUntil: "load" });
      const link = page.locator('header.site a[hreflang="en"]');
      assert.equal(await link.count(), 1, "one language switch in the header");
      assert.equal(await link.getAttribute("lang"), "en");
      await Promise.all([page.waitForURL(`${server.url}/en`, { waitUntil: "load" }), link.click()]);
      assert.equal(new URL(page.url()).pathname, "/en");
      await assertDocumentLanguage(page, "en");
      const back = page.locator('header.site a[hreflang="ur"]');
      assert.equal(await back.count(), 1, "and a switch back to Urdu");
      assertClean(watched);
    } finally {
      await watched.close();
    }
  });
});
