import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, describe, it } from "node:test";
import type { Browser, Locator, Page } from "playwright-core";
import { findCentreByCode } from "../../src/centres/queries.ts";
import type { manualClock } from "../../src/db/clock.ts";
import { mediaDir } from "../../src/portal/media.ts";
import { findArticleById, listRevisions } from "../../src/portal/queries.ts";
import { makeStaff, PASSWORD } from "../helpers/app.ts";
import {
  DESKTOP,
  launchBrowser,
  PHONE,
  screenshot,
  startServer,
  watchedPage,
  type RunningServer,
  type WatchedPage,
} from "./browser.ts";

const here = path.dirname(fileURLToPath(import.meta.url));
const IMAGE = path.resolve(
  here,
  "..",
  "fixtures",
  "wordpress-export",
  "uploads",
  "2021",
  "05",
  "seed-article-image.jpg",
);

const HEADLINE = "ضلعی سنٹر میں ڈیجیٹل مہارتوں کی نئی کلاسیں شروع";
const EDITED_HEADLINE = "ضلعی سنٹر میں کمپیوٹر کی نئی کلاسیں شروع";
const STRAP = "نوجوانوں اور خواتین کے لیے مفت تربیت";
const BOLD = "مفت کمپیوٹر کلاسیں";
const BODY = `مرکز میں اگلے ہفتے سے **${BOLD}** شروع ہو رہی ہیں۔\n\nداخلے کے لیے اپنا شناختی کارڈ ساتھ لائیں۔`;
const ALT = "مرکز کی کمپیوٹر لیب میں تربیت لیتے طلبہ";
const COMMENT = "بہت اچھا اقدام، میں اپنی بہن کو بھی داخلہ دلواؤں گی";

/** An edit page's address: /staff/articles/<uuid>, without the query. */
const EDIT_URL = /\/staff\/articles\/[0-9a-f-]{36}(\?|$)/;

/** The page's problems, less the refusals a test caused on purpose (by status and address). */
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

async function flash(page: Page): Promise<string> {
  return (await page.locator("main > p.notice").innerText()).trim();
}

describe("the editorial desk in a browser", () => {
  let browser: Browser;
  let server: RunningServer;
  let manager = "";
  let staffUser = "";
  let articleId = "";
  let publicPath = "";

  before(async () => {
    browser = await launchBrowser();
    server = await startServer();
    const centre = await findCentreByCode(server.tdb.db, "ISB-01");
    assert.ok(centre, "the demo centre is seeded");
    manager = (await makeStaff(server.tdb, "centre_manager", centre.id)).username;
    staffUser = (await makeStaff(server.tdb, "staff", centre.id)).username;
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  const advance = (ms: number) => (server.app.deps.clock as ReturnType<typeof manualClock>).advance(ms);

  async function signIn(page: Page, username: string): Promise<void> {
    await page.goto(`${server.url}/staff/login`);
    await page.fill("#f-username", username);
    await page.fill("#f-password", PASSWORD);
    await page.locator("main form button[type=submit]").click();
    await page.waitForURL(`${server.url}/staff`);
  }

  /** Fills the new-article form and saves it; returns the new article's id. */
  async function createDraft(page: Page, title: string, body = BODY, strap = STRAP): Promise<string> {
    await page.goto(`${server.url}/staff/articles/new`);
    assert.equal(await page.locator("main h1").innerText(), "New article");
    await page.fill("#f-title", title);
    await page.fill("#f-strap", strap);
    await page.fill("#f-body", body);
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await page.waitForURL(EDIT_URL);
    assert.equal(await flash(page), "Draft created.");
    assert.equal(await page.locator("main h1").first().innerText(), title);
    return /\/staff\/articles\/([0-9a-f-]{36})/.exec(page.url())![1]!;
  }

  const uploadForm = (page: Page) => page.locator('form[action$="/image"]');

  it("lets an editor publish a new article with an image, which a reader then sees", async () => {
    const w = await watchedPage(browser, DESKTOP);
    try {
      const { page } = w;
      await signIn(page, manager);
      articleId = await createDraft(page, HEADLINE);
      assert.equal(await page.locator("main .meta strong").first().innerText(), "Draft");

      const upload = uploadForm(page);
      await upload.locator("input[type=file]").setInputFiles(IMAGE);
      await upload.locator("input[name=image_alt]").fill(ALT);
      await upload.getByRole("button", { name: "Upload image" }).click();
      await page.waitForURL(/done=image/);
      assert.equal(await flash(page), "Image saved.");
      const thumb = page.locator("img.thumb");
      assert.equal(await thumb.getAttribute("alt"), ALT);
      assert.ok(await pictureLoads(thumb), "the thumbnail loads");
      await screenshot(page, "desk-edit-1280");

      await page.getByRole("button", { name: "Publish now" }).click();
      await page.waitForURL(/done=published/);
      assert.equal(await flash(page), "Published.");
      assert.equal(await page.locator("main .meta strong").first().innerText(), "Published");

      await page.getByRole("link", { name: "View on the site" }).click();
      await page.waitForURL(/\/articles\//);
      assert.equal(await page.locator("article h1").innerText(), HEADLINE);
      publicPath = new URL(page.url()).pathname;
      assert.deepEqual(w.problems, []);
    } finally {
      await w.close();
    }

    // A reader: a new context, no cookies.
    const reader = await watchedPage(browser, PHONE);
    try {
      const { page } = reader;
      await page.goto(`${server.url}${publicPath}`);
      assert.deepEqual(await page.context().cookies(), []);
      assert.equal(await page.locator("article h1").innerText(), HEADLINE);
      assert.equal(await page.locator("article .strap").innerText(), STRAP);
      assert.equal(await page.locator(".body strong").innerText(), BOLD);
      assert.equal(await page.locator(".body > .block").count(), 2, "two paragraphs");
      const picture = page.locator("article figure picture");
      assert.equal(await picture.locator('source[type="image/avif"]').count(), 1);
      assert.equal(await picture.locator('source[type="image/webp"]').count(), 1);
      assert.match(
        (await picture.locator('source[type="image/avif"]').getAttribute("srcset")) ?? "",
        /\.avif/,
      );
      assert.match(
        (await picture.locator('source[type="image/webp"]').getAttribute("srcset")) ?? "",
        /\.webp/,
      );
      const img = picture.locator("img");
      assert.equal(await img.getAttribute("alt"), ALT);
      await img.scrollIntoViewIfNeeded();
      assert.ok(await pictureLoads(img), "the picture loads");

      await page.goto(`${server.url}/ur`);
      const listed = page.locator("main a", { hasText: HEADLINE });
      assert.ok((await listed.count()) >= 1, "listed on /ur");
      const shortId = publicPath.split("/")[3]!.split("-")[0]!;
      assert.match(
        (await listed.first().getAttribute("href")) ?? "",
        new RegExp(`^/ur/articles/${shortId}-`),
      );
      assert.deepEqual(reader.problems, []);
    } finally {
      await reader.close();
    }
  });

  it("holds a reader's comment until the manager approves it in the queue", async () => {
    assert.ok(publicPath, "the article was published");
    const reader = await watchedPage(browser, PHONE);
    try {
      const { page } = reader;
      await page.goto(`${server.url}${publicPath}`);
      await page.fill("#f-comment", COMMENT);
      await page.fill("#f-author", "فاطمہ");
      // The form's fill time is measured on the server's clock.
      advance(30_000);
      await page.locator("form[data-comment-form] button[type=submit]").click();
      await page.waitForURL(/comment=pending/);
      assert.equal(await page.locator("ol.comments").count(), 0, "not shown until approved");
      assert.deepEqual(reader.problems, []);
    } finally {
      await reader.close();
    }

    const w = await watchedPage(browser, PHONE);
    try {
      const { page } = w;
      await signIn(page, manager);
      await page.goto(`${server.url}/staff/comments`);
      const navLink = page.locator('nav.staff a[href="/staff/comments"]');
      assert.equal((await navLink.innerText()).trim(), "Comments (1)");
      const items = page.locator("ul.queue > li");
      assert.equal(await items.count(), 1);
      assert.equal((await items.locator(".comment-body").innerText()).trim(), COMMENT);
      assert.match(await items.locator(".meta").first().innerText(), new RegExp(HEADLINE));
      await screenshot(page, "desk-queue-360");
      await items.getByLabel("Select").check();
      await page.getByRole("button", { name: "Approve" }).click();
      await page.waitForURL(/done=1/);
      assert.equal(await flash(page), "1 comment updated.");
      assert.equal((await navLink.innerText()).trim(), "Comments");
      assert.equal(await page.locator("ul.queue > li").count(), 0, "the queue is empty");
      assert.deepEqual(w.problems, []);
    } finally {
      await w.close();
    }

    // A cached article page lives at most 3 s of the server's clock.
    advance(3_000);
    const later = await watchedPage(browser, PHONE);
    try {
      const { page } = later;
      await page.goto(`${server.url}${publicPath}`);
      const shown = page.locator("ol.comments > li");
      assert.equal(await shown.count(), 1);
      assert.match(await shown.innerText(), new RegExp(COMMENT));
      assert.match(await shown.innerText(), /فاطمہ/);
      assert.deepEqual(later.problems, []);
    } finally {
      await later.close();
    }
  });

  it("shows a revision's differences and restores an older headline", async () => {
    assert.ok(articleId, "the article exists");
    const w = await watchedPage(browser, DESKTOP);
    try {
      const { page } = w;
      await signIn(page, manager);
      await page.goto(`${server.url}/staff/articles/${articleId}`);
      await page.fill("#f-title", EDITED_HEADLINE);
      await page.getByRole("button", { name: "Save", exact: true }).click();
      await page.waitForURL(/done=saved/);
      assert.equal(await flash(page), "Saved.");
      assert.equal(await page.locator("main h1").first().innerText(), EDITED_HEADLINE);

      const revisions = await listRevisions(server.tdb.db, articleId);
      const older = revisions.find((r) => r.note === "image");
      assert.ok(older, "the image upload left a revision");
      const links = page.locator(`main a[href$="/revisions/${older.number}"]`);
      assert.equal(await links.count(), 1);
      await links.click();
      await page.waitForURL(new RegExp(`/revisions/${older.number}$`));
      assert.equal(
        await page.locator("main h1").innerText(),
        `Revision ${older.number} compared with the current article`,
      );
      // Whole Urdu words, not letters: the old headline's two words out, the new one's in.
      const words = async (tag: string) =>
        (await page.locator(`pre.diff ${tag}`).allInnerTexts()).join(" ").split(/\s+/).filter(Boolean);
      assert.deepEqual(await words("del"), ["ڈیجیٹل", "مہارتوں"]);
      assert.deepEqual(await words("ins"), ["کمپیوٹر"]);

      await page.getByRole("button", { name: "Restore this revision" }).click();
      await page.waitForURL(/done=restored/);
      assert.equal(await flash(page), "Revision restored.");
      assert.equal(await page.locator("main h1").first().innerText(), HEADLINE);
      assert.equal(await page.locator("#f-title").inputValue(), HEADLINE);
      const restored = await findArticleById(server.tdb.db, articleId);
      assert.equal(restored?.title, HEADLINE);
      assert.equal(restored?.image_alt, ALT, "the image came back with the revision");
      assert.deepEqual(w.problems, []);
    } finally {
      await w.close();
    }
  });

  it("refuses an image without alt text, shows the alt field's error and saves nothing", async () => {
    const w = await watchedPage(browser, DESKTOP);
    try {
      const { page } = w;
      await signIn(page, manager);
      const id = await createDraft(page, "ایک اور خبر بغیر تصویر کے");
      const editUrl = page.url();
      const upload = uploadForm(page);
      await upload.locator("input[type=file]").setInputFiles(IMAGE);
      // The browser itself refuses first: the alt field is required.
      await upload.getByRole("button", { name: "Upload image" }).click();
      assert.equal(page.url(), editUrl, "nothing was sent");
      assert.equal(
        await upload
          .locator("input[name=image_alt]")
          .evaluate((el: HTMLInputElement) => el.validity.valueMissing),
        true,
      );
      // Without the browser's check, the server refuses too.
      await upload.evaluate((form: HTMLFormElement) => {
        form.noValidate = true;
      });
      const answer = page.waitForResponse((r) => r.url().endsWith(`/${id}/image`));
      await upload.getByRole("button", { name: "Upload image" }).click();
      assert.equal((await answer).status(), 400);
      await page.waitForLoadState("domcontentloaded");
      const refused = uploadForm(page);
      const altField = refused.locator(".field", { has: page.locator("input[name=image_alt]") });
      assert.equal((await altField.locator(".err").innerText()).trim(), "This field is required.");
      assert.equal(await altField.locator("input").getAttribute("aria-invalid"), "true");
      assert.equal(await refused.locator(".err").count(), 1, "only the alt field is in error");
      assert.equal(await page.locator("img.thumb").count(), 0);

      const article = await findArticleById(server.tdb.db, id);
      assert.equal(article?.image_path, null, "no image recorded");
      assert.equal((await listRevisions(server.tdb.db, id)).length, 1, "no revision added");
      const dir = mediaDir(server.tdb.dataDir);
      const files = fs.existsSync(dir) ? fs.readdirSync(dir) : [];
      assert.deepEqual(
        files.filter((f) => f.startsWith(`${article!.short_id}-`)),
        [],
        "no files written",
      );
      assert.deepEqual(unexpected(w, 400, `/${id}/image`), []);
    } finally {
      await w.close();
    }
  });

  it("gives every field on the edit page its own id, so each label names its own input", async () => {
    assert.ok(articleId, "the article exists");
    const w = await watchedPage(browser, DESKTOP);
    try {
      const { page } = w;
      await signIn(page, manager);
      await page.goto(`${server.url}/staff/articles/${articleId}`);
      const duplicates = await page.evaluate(() => {
        const seen = new Map<string, number>();
        for (const el of document.querySelectorAll("[id]")) seen.set(el.id, (seen.get(el.id) ?? 0) + 1);
        return [...seen].filter(([, n]) => n > 1).map(([id]) => id);
      });
      assert.deepEqual(duplicates, [], "duplicate ids on the edit page");
      const altInUpload = uploadForm(page).getByLabel("Image description (alt text)");
      assert.equal(await altInUpload.count(), 1, "the upload form's alt field has its own label");
      assert.deepEqual(w.problems, []);
    } finally {
      await w.close();
    }
  });

  it("lets a staff member draft and send for review, but not publish", async () => {
    const w = await watchedPage(browser, DESKTOP);
    try {
      const { page } = w;
      await signIn(page, staffUser);
      const id = await createDraft(page, "کمپیوٹر لیب کے نئے اوقات", "لیب اب صبح نو بجے کھلے گی۔");
      assert.equal(await page.getByRole("button", { name: "Publish now" }).count(), 0);
      await page.getByRole("button", { name: "Send for review" }).click();
      await page.waitForURL(/done=submitted/);
      assert.equal(await flash(page), "Sent for review.");
      assert.equal(await page.locator("main .meta strong").first().innerText(), "In review");
      assert.equal(await page.getByRole("button", { name: "Publish now" }).count(), 0);
      assert.equal(await page.getByRole("button", { name: "Schedule" }).count(), 0);

      // The workflow form, sent with action=publish anyway.
      const form = page.locator('form[action$="/workflow"]').first();
      await form.locator("input[name=action]").evaluate((el: HTMLInputElement) => {
        el.value = "publish";
      });
      const answer = page.waitForResponse(
        (r) => r.url().endsWith(`/${id}/workflow`) && r.request().method() === "POST",
      );
      await form.locator("button[type=submit]").click();
      assert.equal((await answer).status(), 403);
      await page.waitForLoadState("domcontentloaded");
      assert.equal((await findArticleById(server.tdb.db, id))?.status, "review", "still in review");
      assert.deepEqual(unexpected(w, 403, `/${id}/workflow`), []);
    } finally {
      await w.close();
    }
  });
});
