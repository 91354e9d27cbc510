import assert from "node:assert/strict";
import fs from "node:fs";
import { after, before, describe, it } from "node:test";
import { DomUtils, parseDocument } from "htmlparser2";
import { manualClock } from "../../src/db/clock.ts";
import type { ArticleTable } from "../../src/db/schema.ts";
import { seedDemo } from "../../src/demo/seedDemo.ts";
import { t } from "../../src/i18n/index.ts";
import { bumpPortalVersion } from "../../src/portal/contentVersion.ts";
import { articleHref, canonicalHref } from "../../src/portal/presenters.ts";
import { findArticleById } from "../../src/portal/queries.ts";
import type { App } from "../../src/server/app.ts";
import { makeStaff, signIn, testApp } from "../helpers/app.ts";
import { onBothDatabases } from "../helpers/db.ts";

type Element = ReturnType<typeof DomUtils.findAll>[number];

interface SeedJson {
  title: string;
  strap: string;
  view_count: number;
  image_caption: string;
  body_paragraphs: string[];
  also_read_heading: string;
  also_read_after_paragraph: number;
  also_read_titles: string[];
  comment_form: { heading: string };
}

const SEED = JSON.parse(
  fs.readFileSync(new URL("../../src/portal/demo/seed-article.json", import.meta.url), "utf8"),
) as SeedJson;
const SEED_ALT = "وفاقی وزیر سید امین الحق اور پاکستان میں کوریا کے سفیر سو سنگپیو ملاقات کے دوران";
const BASE = "https://iac.example.pk";
const BOT = { "user-agent": "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)" };
const BROWSER = {
  "user-agent":
    "Mozilla/5.0 (Linux; Android 13; SM-A135F) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36",
};

const hasClass = (el: Element, name: string) => (el.attribs.class ?? "").split(/\s+/).includes(name);
const textOf = (el: Element) => DomUtils.textContent(el).trim();

function all(html: string, test: (el: Element) => boolean): Element[] {
  return DomUtils.findAll(test, parseDocument(html).children);
}

function one(html: string, test: (el: Element) => boolean, what: string): Element {
  const found = all(html, test);
  assert.equal(found.length, 1, `exactly one ${what}`);
  return found[0]!;
}

const meta = (html: string, property: string) =>
  one(html, (el) => el.name === "meta" && el.attribs.property === property, property).attribs.content;

const viewsOn = (html: string) =>
  textOf(one(html, (el) => el.name === "p" && hasClass(el, "views"), "view count"));

function alternates(html: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const link of all(
    html,
    (el) => el.name === "link" && el.attribs.rel === "alternate" && !!el.attribs.hreflang,
  ))
    out[link.attribs.hreflang!] = link.attribs.href!;
  return out;
}

/** The article page's parts, in document order. */
function parts(html: string): string[] {
  const main = one(html, (el) => el.name === "main", "main");
  const kind = (el: Element): string | null => {
    if (el.name === "h1") return "h1";
    if (el.name === "p" && hasClass(el, "strap")) return "strap";
    if (el.name === "p" && hasClass(el, "views")) return "views";
    if (el.name === "figure") return "figure";
    if (el.name === "div" && hasClass(el, "block")) return "paragraph";
    if (el.name === "aside" && hasClass(el, "also")) return "also-read";
    if (el.name === "section" && el.attribs.id === "comments") return "comments";
    if (el.name === "section" && el.attribs.id === "respond") return "reply-form";
    return null;
  };
  return DomUtils.findAll((el) => kind(el) !== null, main.children).map((el) => kind(el)!);
}

onBothDatabases("article page", (get) => {
  const clock = manualClock("2026-11-25T06:00:00Z");
  let app: App;
  const demo: Record<string, ArticleTable> = {};

  before(async () => {
    const tdb = get();
    await seedDemo(tdb.db, tdb.dataDir, clock);
    for (const a of await tdb.db.selectFrom("articles").selectAll().execute()) demo[a.source_key!] = a;
    app = await testApp(tdb, { clock, config: { publicUrl: BASE } });
  });
  after(() => app.close());

  const seed = () => demo["demo:seed-article"]!;
  const open = (url: string, headers: Record<string, string | undefined> = BOT, remoteAddress?: string) =>
    app.inject({ method: "GET", url, headers, ...(remoteAddress ? { remoteAddress } : {}) });

  describe("the seed article", () => {
    it("shows headline, strap, views, picture, body with the also-read box after the 2nd paragraph, comments, form", async () => {
      const res = await open(articleHref(seed(), "ur"));
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers["content-type"], "text/html; charset=utf-8");
      const html = res.body;
      const paragraphs = SEED.body_paragraphs.map(() => "paragraph");
      paragraphs.splice(SEED.also_read_after_paragraph, 0, "also-read");
      assert.equal(SEED.also_read_after_paragraph, 2);
      assert.deepEqual(parts(html), [
        "h1",
        "strap",
        "views",
        "figure",
        ...paragraphs,
        "comments",
        "reply-form",
      ]);

      assert.equal(textOf(one(html, (el) => el.name === "h1", "h1")), SEED.title);
      assert.equal(textOf(one(html, (el) => el.name === "p" && hasClass(el, "strap"), "strap")), SEED.strap);
      assert.equal(viewsOn(html), "819 بار دیکھا گیا");
      assert.equal(SEED.view_count, 819);

      const img = one(html, (el) => el.name === "img" && hasClass(el, "lead"), "lead image");
      assert.equal(img.attribs.alt, SEED_ALT);
      assert.equal(textOf(one(html, (el) => el.name === "figcaption", "caption")), SEED.image_caption);
      const picture = await open(img.attribs.src!);
      assert.equal(picture.statusCode, 200);
      assert.equal(picture.headers["content-type"], "image/jpeg");

      const blocks = all(html, (el) => el.name === "div" && hasClass(el, "block")).map(textOf);
      assert.deepEqual(blocks, SEED.body_paragraphs);
    });

    it("links the also-read box to the two also-read articles, which open", async () => {
      const html = (await open(articleHref(seed(), "ur"))).body;
      const box = one(html, (el) => el.name === "aside" && hasClass(el, "also"), "also-read box");
      assert.equal(box.attribs["aria-label"], SEED.also_read_heading);
      const heading = DomUtils.findOne((el) => el.name === "h2", box.children);
      assert.ok(heading);
      assert.equal(textOf(heading).replace(/:$/, ""), "یہ بھی پڑھیے");
      const links = DomUtils.findAll((el) => el.name === "a", box.children);
      const targets = [demo["demo:also-read-1"]!, demo["demo:also-read-2"]!];
      assert.deepEqual(links.map(textOf), SEED.also_read_titles);
      assert.deepEqual(
        links.map((a) => a.attribs.href),
        targets.map((a) => articleHref(a, "ur")),
      );
      for (const [i, link] of links.entries()) {
        const res = await open(link.attribs.href!);
        assert.equal(res.statusCode, 200, `${link.attribs.href} opens`);
        assert.equal(textOf(one(res.body, (el) => el.name === "h1", "h1")), SEED.also_read_titles[i]);
      }
    });

    it("has no comments yet, then the reply form under its heading", async () => {
      const html = (await open(articleHref(seed(), "ur"))).body;
      const comments = one(html, (el) => el.name === "section" && el.attribs.id === "comments", "comments");
      assert.equal(textOf(DomUtils.findOne((el) => el.name === "h2", comments.children)!), "تبصرے");
      assert.equal(
        textOf(DomUtils.findOne((el) => el.name === "p", comments.children)!),
        "ابھی کوئی تبصرہ نہیں۔",
      );
      const respond = one(
        html,
        (el) => el.name === "section" && el.attribs.id === "respond",
        "reply section",
      );
      assert.equal(
        textOf(DomUtils.findOne((el) => el.name === "h2", respond.children)!),
        SEED.comment_form.heading,
      );
      const formEl = DomUtils.findOne((el) => el.name === "form", respond.children);
      assert.ok(formEl);
      assert.equal(formEl.attribs.method, "post");
      assert.equal(formEl.attribs.action, `${articleHref(seed(), "ur")}/comments#respond`);
      const names = DomUtils.findAll((el) => !!el.attribs.name, formEl.children).map((el) => el.attribs.name);
      assert.deepEqual(names, ["_csrf", "comment", "author", "email", "homepage"]);
    });

    it("carries canonical, Open Graph and JSON-LD metadata", async () => {
      const html = (await open(articleHref(seed(), "ur"))).body;
      const canonical = `${BASE}${articleHref(seed(), "ur")}`;
      assert.equal(
        one(html, (el) => el.name === "link" && el.attribs.rel === "canonical", "canonical").attribs.href,
        canonical,
      );
      assert.equal(meta(html, "og:title"), SEED.title);
      assert.equal(meta(html, "og:url"), canonical);
      const image = meta(html, "og:image")!;
      assert.ok(image.startsWith(`${BASE}/media/`), image);
      assert.equal((await open(image.slice(BASE.length))).statusCode, 200);
      assert.equal(meta(html, "og:image:alt"), SEED_ALT);
      assert.deepEqual(alternates(html), { ur: canonical });

      const script = one(
        html,
        (el) => el.name === "script" && el.attribs.type === "application/ld+json",
        "JSON-LD",
      );
      const ld = JSON.parse(DomUtils.textContent(script)) as Record<string, unknown>;
      assert.equal(ld["@context"], "https://schema.org");
      assert.equal(ld["@type"], "NewsArticle");
      assert.equal(ld.headline, SEED.title);
      assert.equal(ld.datePublished, "2021-05-10T10:00:00.000Z");
      assert.equal(ld.inLanguage, "ur");
      assert.equal(ld.mainEntityOfPage, canonical);
      assert.deepEqual(ld.image, [image]);
    });

    it("keeps the Urdu address as canonical when read in the English interface", async () => {
      const html = (await open(articleHref(seed(), "en"))).body;
      assert.equal(
        one(html, (el) => el.name === "link" && el.attribs.rel === "canonical", "canonical").attribs.href,
        `${BASE}${canonicalHref(seed())}`,
      );
      assert.equal(viewsOn(html), "819 views");
    });

    it("links the demo guide and its English translation to each other with hreflang", async () => {
      const ur = demo["demo:guide-free-pc-ur"]!;
      const en = demo["demo:guide-free-pc-en"]!;
      assert.ok(ur.translation_group);
      const expected = { ur: `${BASE}${canonicalHref(ur)}`, en: `${BASE}${canonicalHref(en)}` };
      assert.equal(expected.en, `${BASE}${articleHref(en, "en")}`);
      const urPage = (await open(articleHref(ur, "ur"))).body;
      const enPage = (await open(articleHref(en, "en"))).body;
      assert.deepEqual(alternates(urPage), expected);
      assert.deepEqual(alternates(enPage), expected);
      const toEnglish = one(
        urPage,
        (el) => el.name === "a" && el.attribs.hreflang === "en",
        "language switch",
      );
      assert.equal(toEnglish.attribs.href, `/lang/en?next=${encodeURIComponent(articleHref(en, "en"))}`);
    });
  });

  describe("addresses", () => {
    it("redirects an old or missing slug with the right short id to the current address (301)", async () => {
      const s = seed();
      for (const [url, to] of [
        [`/ur/articles/${s.short_id}-old-slug`, articleHref(s, "ur")],
        [`/ur/articles/${s.short_id}`, articleHref(s, "ur")],
        [`/en/articles/${s.short_id}-${encodeURIComponent("پرانا-عنوان")}`, articleHref(s, "en")],
      ] as const) {
        const res = await open(url);
        assert.equal(res.statusCode, 301, url);
        assert.equal(res.headers.location, to, url);
      }
    });

    it("answers an unknown short id with a 404 page", async () => {
      const res = await open("/ur/articles/zzzzzzz-kuch-bhi");
      assert.equal(res.statusCode, 404);
      assert.equal(res.headers["content-type"], "text/html; charset=utf-8");
      assert.ok(res.body.includes(t("ur", "error.article_not_found")));
    });
  });

  describe("view counting", () => {
    it("counts a browser once per window, not bots, prefetches or requests without a user agent", async () => {
      const a = demo["demo:also-read-1"]!;
      const url = articleHref(a, "ur");
      assert.equal(a.view_count, 240);
      // Earlier tests may have left this page in the cache, which keeps a page at most 3 s.
      clock.advance(3000);
      assert.equal(
        viewsOn((await open(url, BROWSER, "10.9.0.1")).body),
        "241 بار دیکھا گیا",
        "counted at once",
      );
      assert.equal(viewsOn((await open(url, BROWSER, "10.9.0.1")).body), "241 بار دیکھا گیا", "a reload");
      assert.equal(viewsOn((await open(url, BOT, "10.9.0.2")).body), "241 بار دیکھا گیا", "a bot");
      assert.equal(
        viewsOn((await open(url, { "user-agent": undefined }, "10.9.0.3")).body),
        "241 بار دیکھا گیا",
      );
      const prefetch = await open(url, { ...BROWSER, "sec-purpose": "prefetch" }, "10.9.0.4");
      assert.equal(viewsOn(prefetch.body), "241 بار دیکھا گیا", "a prefetch");
      // A cached article page lives at most the comment form's minimum fill time (3 s).
      clock.advance(3000);
      assert.equal(
        viewsOn((await open(url, BROWSER, "10.9.0.4")).body),
        "242 بار دیکھا گیا",
        "then the visit",
      );

      await app.portal.views.flush();
      assert.equal((await findArticleById(get().db, a.id))?.view_count, 242, "240 + the 2 counted views");
      assert.equal(viewsOn((await open(url)).body), "242 بار دیکھا گیا", "the cached page after the write");
      bumpPortalVersion();
      assert.equal(viewsOn((await open(url)).body), "242 بار دیکھا گیا", "a fresh render after the write");
    });

    it("shows the same count on the page after commenting once views are written", async () => {
      const a = demo["demo:also-read-2"]!;
      const url = articleHref(a, "ur");
      assert.equal(a.view_count, 312);
      clock.advance(3000);
      assert.equal(viewsOn((await open(url, BROWSER, "10.9.1.1")).body), "313 بار دیکھا گیا");
      assert.equal(
        viewsOn((await open(`${url}?comment=pending`)).body),
        "313 بار دیکھا گیا",
        "before the write",
      );
      await app.portal.views.flush();
      assert.equal((await findArticleById(get().db, a.id))?.view_count, 313);
      assert.equal(
        viewsOn((await open(`${url}?comment=pending`)).body),
        "313 بار دیکھا گیا",
        "after the write",
      );
    });
  });

  describe("the page cache", () => {
    it("never hands a signed-in staff member's page to a visitor", async () => {
      const staff = await makeStaff(get(), "hq_admin", null);
      const { cookie, csrf } = await signIn(app, staff.username);
      bumpPortalVersion();
      const url = articleHref(seed(), "ur");
      const theirs = await open(url, { ...BOT, cookie });
      assert.equal(theirs.statusCode, 200);
      const visitor = await open(url);
      assert.equal(visitor.statusCode, 200);
      assert.ok(!visitor.body.includes(csrf), "no staff session token");
      assert.ok(!visitor.body.includes('action="/staff/logout"'), "no sign-out form");
      assert.ok(!visitor.body.includes(staff.display_name));
      assert.match(String(visitor.headers["cache-control"]), /^public/);
    });

    it("builds absolute links from each request's own host when no public URL is set", async () => {
      const plain = await testApp(get(), { clock });
      try {
        bumpPortalVersion();
        const url = articleHref(seed(), "ur");
        const first = await plain.inject({
          method: "GET",
          url,
          headers: { ...BOT, host: "attacker.example" },
        });
        const canonicalOf = (html: string) =>
          one(html, (el) => el.name === "link" && el.attribs.rel === "canonical", "canonical").attribs.href;
        assert.equal(canonicalOf(first.body), `http://attacker.example${url}`);
        const second = await plain.inject({ method: "GET", url, headers: { ...BOT, host: "iac.local" } });
        assert.equal(canonicalOf(second.body), `http://iac.local${url}`, "not the previous visitor's host");
        assert.ok(!second.body.includes("attacker.example"));
      } finally {
        await plain.close();
      }
    });
  });
});
