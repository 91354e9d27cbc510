// A member's photo at the desk in a real Chromium, with JavaScript off: front-desk staff switch the
// staff pages to Urdu, open a member's page on a 360 px phone, pick a JPEG through the real file
// input and send the plain multipart form; the photo shows on the member's page and on the card's
// print page. A text file is refused with the Urdu field error beside the file input. Screenshots
// go to a fresh temporary folder, named in the test's diagnostics.
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import sharp from "sharp";
import type { Browser, Locator, Page } from "playwright-core";
import { findCentreByCode } from "../../src/centres/queries.ts";
import { makeStaff, PASSWORD } from "../helpers/app.ts";
import {
  horizontalOverflow,
  launchBrowser,
  PHONE,
  startServer,
  watchedPage,
  type RunningServer,
  type WatchedPage,
} from "./browser.ts";

const NOT_A_PHOTO_UR = "یہ فائل تصویر نہیں۔";
const SAVED_UR = "تصویر محفوظ ہو گئی۔";
const PHOTO_HEADING_UR = "تصویر";
const REPLACE_UR = "تصویر بدلیں";

/** A stand-in passport photo as a camera would give it: a 900 × 1200 JPEG. */
async function passportJpeg(): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="900" height="1200">
    <rect width="900" height="1200" fill="#b9c9d6"/>
    <circle cx="450" cy="460" r="210" fill="#8a5a44"/>
    <path d="M90 1200c0-260 160-420 360-420s360 160 360 420z" fill="#34495e"/></svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 85 }).toBuffer();
}

/** The page's problems, less the refusal the test caused on purpose (by status and address). */
function unexpected(w: WatchedPage, status: number, urlPart: string): string[] {
  return w.problems.filter(
    (p) =>
      !(p.startsWith(`HTTP ${status}: `) && p.includes(urlPart)) &&
      !(p.startsWith("console error:") && p.includes(`status of ${status}`)),
  );
}

/** Whether an <img> has loaded a real picture, waiting for it if it is still on its way. */
function pictureLoads(img: Locator): Promise<boolean> {
  return img.evaluate(
    (el: HTMLImageElement) =>
      new Promise<boolean>((resolve) => {
        if (el.complete) resolve(el.naturalWidth > 0);
        else {
          el.addEventListener("load", () => resolve(el.naturalWidth > 0));
          el.addEventListener("error", () => resolve(false));
        }
      }),
  );
}

interface Box {
  what: string;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/**
 * The boxes of the photo panel's visible parts (heading, picture, label, hint, input, error,
 * buttons), to check that none overlaps another and each stays inside the panel.
 */
async function panelBoxes(page: Page): Promise<{ panel: Box; parts: Box[] }> {
  // No named functions in here: tsx would wrap them in a helper the page does not have.
  const boxes = await page.evaluate(() =>
    [
      document.querySelector("#photo")!,
      ...document
        .querySelector("#photo")!
        .querySelectorAll("h2, img, .notice, .field label, .field .hint, .field input, .field .err, button"),
    ]
      .filter((el) => el.getClientRects().length > 0)
      .map((el) => {
        const r = el.getBoundingClientRect();
        const what = el.id
          ? `#${el.id}`
          : `${el.tagName.toLowerCase()}${el.className ? `.${el.className}` : ""}`;
        return { what, left: r.left, right: r.right, top: r.top, bottom: r.bottom };
      }),
  );
  const [panel, ...parts] = boxes;
  return { panel: panel!, parts };
}

function assertTidy({ panel, parts }: { panel: Box; parts: Box[] }, when: string): void {
  const inside = (b: Box) =>
    b.left >= panel.left - 0.5 &&
    b.right <= panel.right + 0.5 &&
    b.top >= panel.top - 0.5 &&
    b.bottom <= panel.bottom + 0.5;
  const overlap = (a: Box, b: Box) =>
    a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5;
  for (const p of parts) assert.ok(inside(p), `${when}: ${p.what} inside the panel: ${JSON.stringify(p)}`);
  for (const [i, a] of parts.entries()) {
    for (const b of parts.slice(i + 1)) {
      assert.ok(!overlap(a, b), `${when}: ${a.what} overlaps ${b.what}: ${JSON.stringify([a, b])}`);
    }
  }
}

describe("a member's photo at the desk, in a browser", () => {
  let browser: Browser;
  let server: RunningServer;
  let desk = "";
  let memberId = "";
  let shots = "";

  before(async () => {
    browser = await launchBrowser();
    server = await startServer();
    const centre = await findCentreByCode(server.tdb.db, "ISB-01");
    assert.ok(centre, "the demo centre is seeded");
    desk = (await makeStaff(server.tdb, "staff", centre.id)).username;
    const member = await server.tdb.db
      .selectFrom("members")
      .select(["id", "status", "photo_path", "card_serial"])
      .where("centre_id", "=", centre.id)
      .where("full_name_en", "=", "Ayesha Bibi")
      .executeTakeFirstOrThrow();
    assert.equal(member.status, "active");
    assert.equal(member.photo_path, null, "the demo member starts without a photo");
    assert.equal(member.card_serial, 0, "and without a card");
    memberId = member.id;
    shots = fs.mkdtempSync(path.join(os.tmpdir(), "rasai-member-photo-"));
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  /** A screenshot in the temporary folder: the whole page, or with `screen` only what is on screen. */
  async function shoot(page: Page, name: string, screen = false): Promise<string> {
    const file = path.join(shots, `${name}.png`);
    await page.screenshot({ path: file, fullPage: !screen });
    return file;
  }

  it("uploads a photo in Urdu at 360 px without JavaScript; it shows on the member's page and the card", async (t) => {
    const w = await watchedPage(browser, { ...PHONE, javaScriptEnabled: false });
    try {
      const { page } = w;
      // Front-desk staff sign in (their pages are in English) and switch to Urdu in the header.
      await page.goto(`${server.url}/staff/login`);
      await page.fill("#f-username", desk);
      await page.fill("#f-password", PASSWORD);
      await page.locator("main form button[type=submit]").click();
      await page.waitForURL(`${server.url}/staff`);
      await page.goto(`${server.url}/staff/members/${memberId}`);
      assert.equal(await page.locator("html").getAttribute("lang"), "en");
      await page.locator('form[action="/staff/locale"] button[lang="ur"]').click();
      // The switch posts and comes back to the same address: wait for the Urdu page itself.
      await page.locator('html[lang="ur"]').waitFor({ state: "attached" });
      assert.equal(new URL(page.url()).pathname, `/staff/members/${memberId}`);
      assert.equal(await page.locator("html").getAttribute("lang"), "ur");
      assert.equal(await page.locator("html").getAttribute("dir"), "rtl");

      const panel = page.locator("section#photo");
      assert.equal((await panel.locator("h2").innerText()).trim(), PHOTO_HEADING_UR);
      assert.equal(await panel.locator("img").count(), 0, "no photo yet");
      assert.equal(await panel.evaluate((e) => getComputedStyle(e).direction), "rtl");
      const input = panel.locator('input[type="file"]');
      assert.equal(await input.getAttribute("accept"), "image/*");
      assert.equal(await input.getAttribute("capture"), null, "no camera is forced");

      // A text file is refused, with the Urdu error beside the field; nothing is stored.
      await input.setInputFiles({
        name: "notes.txt",
        mimeType: "text/plain",
        buffer: Buffer.from("یہ تصویر نہیں بلکہ ایک نوٹ ہے\n", "utf8"),
      });
      await panel.locator('button[type="submit"]').click();
      await page.waitForURL(`${server.url}/staff/members/${memberId}/photo#photo`);
      assert.equal(await page.locator("html").getAttribute("dir"), "rtl");
      const refused = page.locator("section#photo");
      const field = refused.locator(".field", { has: page.locator("#f-photo") });
      assert.equal((await field.locator(".err").innerText()).trim(), NOT_A_PHOTO_UR);
      assert.equal(await field.locator(".err").getAttribute("id"), "e-photo");
      assert.equal(await refused.locator("#f-photo").getAttribute("aria-invalid"), "true");
      assert.match((await refused.locator("#f-photo").getAttribute("aria-describedby")) ?? "", /\be-photo\b/);
      assert.equal(await refused.locator('.notice.bad[role="alert"]').count(), 1, "the form's summary");
      // The error sits just under the file input, inside the same field.
      const inputBox = (await refused.locator("#f-photo").boundingBox())!;
      const errBox = (await field.locator(".err").boundingBox())!;
      assert.ok(errBox.y >= inputBox.y + inputBox.height - 0.5, "the error is below the input");
      assert.ok(errBox.y - (inputBox.y + inputBox.height) < 40, "and right next to it");
      assertTidy(await panelBoxes(page), "refused");
      // The long Urdu hint wraps over several lines: Nastaliq's tall letters and deep tails need
      // more room between them than the page's 2.2, or one line's ink touches the next.
      const hintLines = await field.locator(".hint").evaluate((el) => {
        const s = getComputedStyle(el);
        return {
          lineHeight: parseFloat(s.lineHeight),
          fontSize: parseFloat(s.fontSize),
          height: el.clientHeight,
        };
      });
      assert.ok(hintLines.height > 3 * hintLines.lineHeight, `the hint wraps: ${JSON.stringify(hintLines)}`);
      assert.ok(
        hintLines.lineHeight >= 2.5 * hintLines.fontSize,
        `the Urdu hint's lines have room: ${JSON.stringify(hintLines)}`,
      );
      const overflowRefused = await horizontalOverflow(page);
      assert.ok(overflowRefused.scrollWidth <= overflowRefused.viewport, "no sideways scroll (refused)");
      // On a phone the page opens at the form, with the error on screen, not at the top.
      const errorOnScreen = await page.locator("#e-photo").evaluate((el) => {
        const r = el.getBoundingClientRect();
        return { top: r.top, bottom: r.bottom, height: window.innerHeight, scrolled: window.scrollY };
      });
      assert.ok(
        errorOnScreen.scrolled > 0 && errorOnScreen.top >= 0 && errorOnScreen.bottom <= errorOnScreen.height,
        `the field error is on screen: ${JSON.stringify(errorOnScreen)}`,
      );
      t.diagnostic(`screenshot: ${await shoot(page, "member-photo-refused-ur-360-screen", true)}`);
      t.diagnostic(`screenshot: ${await shoot(page, "member-photo-refused-ur-360")}`);
      const untouched = await server.tdb.db
        .selectFrom("members")
        .select("photo_path")
        .where("id", "=", memberId)
        .executeTakeFirstOrThrow();
      assert.equal(untouched.photo_path, null, "a refused upload stores nothing");

      // A real JPEG through the same file input: saved, and shown on the member's page.
      await refused.locator("#f-photo").setInputFiles({
        name: "IMG_0001.jpg",
        mimeType: "image/jpeg",
        buffer: await passportJpeg(),
      });
      await refused.locator('button[type="submit"]').click();
      await page.waitForURL(/\?done=photo_saved#photo$/);
      assert.equal((await page.locator("main > p.notice").innerText()).trim(), SAVED_UR);
      const img = page.locator("section#photo img");
      assert.equal(await img.count(), 1);
      assert.match(
        (await img.getAttribute("src")) ?? "",
        new RegExp(`^/staff/members/${memberId}/photo\\?v=`),
      );
      assert.ok(((await img.getAttribute("alt")) ?? "").startsWith("رکن "), "the Urdu alt text");
      assert.ok(await pictureLoads(img), "the photo loads (naturalWidth > 0)");
      const natural = await img.evaluate((el: HTMLImageElement) => [el.naturalWidth, el.naturalHeight]);
      assert.deepEqual(natural, [300, 400], "the stored 300 × 400 portrait");
      assert.equal(
        (await page.locator('section#photo button[type="submit"]').first().innerText()).trim(),
        REPLACE_UR,
      );
      assert.equal(await page.locator("section#photo .err").count(), 0, "the error is gone");
      assertTidy(await panelBoxes(page), "saved");
      const overflow = await horizontalOverflow(page);
      assert.ok(overflow.scrollWidth <= overflow.viewport, `no sideways scroll (${overflow.scrollWidth})`);
      t.diagnostic(`screenshot: ${await shoot(page, "member-photo-ur-360")}`);

      // The card: the first one is issued from the member's page, then its print page shows the
      // photo (inline, as a data: URL, so it prints without a second request).
      await page.locator('form[action$="/card"] button[type="submit"]').first().click();
      await page.waitForURL(new RegExp(`/staff/members/${memberId}/card\\?print=1$`));
      const cardImg = page.locator("#member-card .photo img");
      assert.equal(await cardImg.count(), 1, "the card has the photo");
      assert.match((await cardImg.getAttribute("src")) ?? "", /^data:image\/jpeg;base64,/);
      assert.ok(await pictureLoads(cardImg), "the card's photo loads (naturalWidth > 0)");
      t.diagnostic(`screenshot: ${await shoot(page, "member-photo-card-ur-360")}`);

      // The card's print page names the site's icon (as every other page does), so Chromium does
      // not guess /favicon.ico, which the app does not serve; the icon itself is there.
      const icon = (await page.locator('head link[rel="icon"]').getAttribute("href")) ?? "";
      assert.match(icon, /^\/assets\/favicon\./);
      const iconRes = await page.request.get(`${server.url}${icon}`);
      assert.equal(iconRes.status(), 200);
      assert.equal(iconRes.headers()["content-type"], "image/svg+xml");

      assert.deepEqual(unexpected(w, 400, `/staff/members/${memberId}/photo`), []);
    } finally {
      await w.close();
    }
  });
});
