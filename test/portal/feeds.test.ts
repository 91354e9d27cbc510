import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { SaxesParser } from "saxes";
import { cliActor } from "../../src/audit/actor.ts";
import { manualClock } from "../../src/db/clock.ts";
import type { ArticleTable } from "../../src/db/schema.ts";
import { DEMO_CENTRE_CODE, seedDemo } from "../../src/demo/seedDemo.ts";
import { createArticle } from "../../src/portal/articles/saveArticle.ts";
import { publishArticle, unpublishArticle } from "../../src/portal/articles/workflow.ts";
import { articleHref, canonicalHref } from "../../src/portal/presenters.ts";
import type { App } from "../../src/server/app.ts";
import { testApp } from "../helpers/app.ts";
import { onBothDatabases } from "../helpers/db.ts";

const BASE = "https://iac.example.pk";
const ATOM = "http://www.w3.org/2005/Atom";
const SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9";

interface XmlNode {
  name: string;
  uri: string;
  attrs: Record<string, string>;
  text: string;
  children: XmlNode[];
}

/** Parses with a namespace-aware XML parser; any well-formedness error throws. */
function parseXml(xml: string): XmlNode {
  const parser = new SaxesParser({ xmlns: true });
  const top: XmlNode = { name: "#document", uri: "", attrs: {}, text: "", children: [] };
  const stack = [top];
  parser.on("opentag", (tag) => {
    const node: XmlNode = {
      name: tag.local,
      uri: tag.uri,
      attrs: Object.fromEntries(Object.values(tag.attributes).map((a) => [a.name, a.value])),
      text: "",
      children: [],
    };
    stack.at(-1)!.children.push(node);
    stack.push(node);
  });
  parser.on("text", (text) => {
    stack.at(-1)!.text += text;
  });
  parser.on("closetag", () => {
    stack.pop();
  });
  parser.on("error", (error) => {
    throw error;
  });
  parser.write(xml).close();
  assert.equal(top.children.length, 1, "one root element");
  return top.children[0]!;
}

const childrenNamed = (node: XmlNode, name: string) => node.children.filter((c) => c.name === name);

function child(node: XmlNode, name: string): XmlNode {
  const found = childrenNamed(node, name);
  assert.equal(found.length, 1, `one <${name}> in <${node.name}>`);
  return found[0]!;
}

onBothDatabases("feeds and sitemap", (get) => {
  const clock = manualClock("2026-11-25T06:00:00Z");
  let app: App;
  const demo: Record<string, ArticleTable> = {};
  const extra: Record<"draft" | "unpublished" | "expired" | "future" | "awkward", ArticleTable> = {} as never;

  before(async () => {
    const tdb = get();
    await seedDemo(tdb.db, tdb.dataDir, clock);
    for (const a of await tdb.db.selectFrom("articles").selectAll().execute()) demo[a.source_key!] = a;
    const ctx = { actor: cliActor(), clock };
    const body = "متن";
    extra.draft = await createArticle(tdb.db, { lang: "ur", kind: "news", title: "ایک مسودہ", body }, ctx);
    const gone = await createArticle(tdb.db, { lang: "ur", kind: "news", title: "واپس لیا گیا", body }, ctx);
    await publishArticle(tdb.db, gone.id, null, ctx);
    extra.unpublished = await unpublishArticle(tdb.db, gone.id, ctx);
    extra.expired = await createArticle(
      tdb.db,
      {
        lang: "ur",
        kind: "notice",
        centre: DEMO_CENTRE_CODE,
        title: "پرانا اعلان",
        body,
        expires_at: "2026-11-24T00:00:00.000Z",
      },
      ctx,
      { status: "published", published_at: "2026-11-22T05:00:00.000Z" },
    );
    // Published with a date still to come (as an import can bring): its page answers 404 until then.
    extra.future = await createArticle(
      tdb.db,
      { lang: "ur", kind: "news", title: "آنے والی خبر", body },
      ctx,
      { status: "published", published_at: "2026-12-01T05:00:00.000Z" },
    );
    extra.awkward = await createArticle(
      tdb.db,
      {
        lang: "en",
        kind: "news",
        title: "Fish & Chips <b> \"quoted\" 'single'\u0007",
        strap: "A & B < C",
        body: "Text",
        byline: "Ali & Sons",
      },
      ctx,
      { status: "published", published_at: "2026-11-24T05:00:00.000Z" },
    );
    app = await testApp(tdb, { clock, config: { publicUrl: BASE } });
  });
  after(() => app.close());

  async function fetchXml(url: string, type: string): Promise<XmlNode> {
    const res = await app.inject({ method: "GET", url });
    assert.equal(res.statusCode, 200, url);
    assert.equal(res.headers["content-type"], type);
    assert.ok(res.body.startsWith('<?xml version="1.0" encoding="utf-8"?>'));
    return parseXml(res.body);
  }

  const atom = (url: string) => fetchXml(url, "application/atom+xml; charset=utf-8");

  function checkFeed(feed: XmlNode, locale: "ur" | "en", selfPath: string, articles: ArticleTable[]) {
    assert.equal(feed.name, "feed");
    assert.equal(feed.uri, ATOM);
    assert.equal(feed.attrs["xml:lang"], locale);
    assert.equal(child(feed, "id").text, `${BASE}${selfPath}`);
    const self = childrenNamed(feed, "link").find((l) => l.attrs.rel === "self");
    assert.equal(self?.attrs.href, `${BASE}${selfPath}`);
    const entries = childrenNamed(feed, "entry");
    assert.deepEqual(
      entries.map((e) => child(e, "title").text),
      articles.map((a) => a.title.replaceAll("\u0007", "")),
    );
    const ids = entries.map((e) => child(e, "id").text);
    assert.deepEqual(
      ids,
      articles.map((a) => `urn:uuid:${a.id}`),
    );
    assert.equal(new Set(ids).size, ids.length, "ids are unique");
    for (const [i, e] of entries.entries()) {
      const a = articles[i]!;
      assert.equal(e.uri, ATOM);
      assert.equal(child(e, "link").attrs.href, `${BASE}${articleHref(a, locale)}`);
      assert.equal(child(e, "published").text, a.published_at);
      assert.equal(child(e, "summary").text, a.strap);
    }
    const newest = articles
      .map((a) => a.content_updated_at ?? a.published_at!)
      .sort()
      .at(-1);
    assert.equal(child(feed, "updated").text, newest);
  }

  it("/ur/feed.atom lists the centre's and national Urdu articles, newest first, one id each", async () => {
    const feed = await atom("/ur/feed.atom");
    checkFeed(feed, "ur", "/ur/feed.atom", [
      demo["demo:notice-course"]!,
      demo["demo:guide-free-pc-ur"]!,
      demo["demo:notice-wifi"]!,
      demo["demo:news-freelancing-course"]!,
      demo["demo:guide-health-card-ur"]!,
      demo["demo:news-scholarships-ur"]!,
      demo["demo:seed-article"]!,
      demo["demo:also-read-2"]!,
      demo["demo:also-read-1"]!,
    ]);
    const titles = childrenNamed(feed, "entry").map((e) => child(e, "title").text);
    assert.ok(titles.includes("جنوبی کوریا کا پاکستان میں انفارمیشن ایکسیس سنٹر کے قیام کا عندیہ"));
  });

  it("/en/feed.atom lists the English articles, with markup characters escaped", async () => {
    const feed = await atom("/en/feed.atom");
    checkFeed(feed, "en", "/en/feed.atom", [
      extra.awkward,
      demo["demo:guide-free-pc-en"]!,
      demo["demo:guide-cnic-renewal-en"]!,
    ]);
    const first = childrenNamed(feed, "entry")[0]!;
    assert.equal(child(first, "title").text, "Fish & Chips <b> \"quoted\" 'single'");
    assert.equal(child(child(first, "author"), "name").text, "Ali & Sons");
  });

  it("/ur/categories/technology/feed.atom lists only that category", async () => {
    const feed = await atom("/ur/categories/technology/feed.atom");
    checkFeed(feed, "ur", "/ur/categories/technology/feed.atom", [
      demo["demo:news-freelancing-course"]!,
      demo["demo:seed-article"]!,
      demo["demo:also-read-2"]!,
      demo["demo:also-read-1"]!,
    ]);
    assert.equal(child(feed, "title").text, "رسائی · ٹیکنالوجی");
  });

  it("answers an unknown category's feed with 404", async () => {
    const res = await app.inject({ method: "GET", url: "/ur/categories/no-such-thing/feed.atom" });
    assert.equal(res.statusCode, 404);
  });

  it("/sitemap.xml lists the canonical address of every published article, and no draft", async () => {
    const urlset = await fetchXml("/sitemap.xml", "application/xml; charset=utf-8");
    assert.equal(urlset.name, "urlset");
    assert.equal(urlset.uri, SITEMAP);
    const urls = childrenNamed(urlset, "url").map((u) => ({
      loc: child(u, "loc").text,
      lastmod: childrenNamed(u, "lastmod")[0]?.text,
    }));
    // The future-dated article has its own test below.
    const futureLoc = `${BASE}${canonicalHref(extra.future)}`;
    const articleUrls = urls.filter((u) => u.loc.includes("/articles/") && u.loc !== futureLoc);
    const published = [
      ...Object.values(demo),
      extra.awkward, // published, with an awkward title
    ];
    assert.equal(published.length, 12);
    assert.deepEqual(
      articleUrls.map((u) => u.loc).sort(),
      published.map((a) => `${BASE}${canonicalHref(a)}`).sort(),
    );
    for (const a of published) {
      const entry = articleUrls.find((u) => u.loc === `${BASE}${canonicalHref(a)}`);
      assert.equal(entry?.lastmod, a.content_updated_at ?? a.published_at);
    }
    for (const hidden of [extra.draft, extra.unpublished, extra.expired]) {
      assert.ok(!urls.some((u) => u.loc.includes(`/articles/${hidden.short_id}-`)), hidden.title);
    }
    assert.ok(urls.some((u) => u.loc === `${BASE}/ur`));
    assert.ok(urls.some((u) => u.loc === `${BASE}/en/guides`));
  });

  it("does not list an article whose publication date is still to come, as its page answers 404", async () => {
    const page = await app.inject({
      method: "GET",
      url: articleHref(extra.future, "ur"),
      headers: { "user-agent": "Googlebot/2.1" },
    });
    assert.equal(page.statusCode, 404);
    const urlset = await fetchXml("/sitemap.xml", "application/xml; charset=utf-8");
    const locs = childrenNamed(urlset, "url").map((u) => child(u, "loc").text);
    assert.ok(!locs.includes(`${BASE}${canonicalHref(extra.future)}`));
  });

  it("leaves drafts, unpublished, expired and future-dated articles out of every feed", async () => {
    for (const url of ["/ur/feed.atom", "/en/feed.atom", "/ur/categories/technology/feed.atom"]) {
      const ids = childrenNamed(await atom(url), "entry").map((e) => child(e, "id").text);
      for (const hidden of [extra.draft, extra.unpublished, extra.expired, extra.future])
        assert.ok(!ids.includes(`urn:uuid:${hidden.id}`), `${hidden.title} is not in ${url}`);
    }
  });
});
