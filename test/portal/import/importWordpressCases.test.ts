// The WordPress import on a small export written here, for what the real fixture does not show: links to
// posts later in the file, statuses, password protection, featured images, categories and tags, replies,
// spam and trash, and an item that fails without disturbing the others.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { it } from "node:test";
import { cliActor } from "../../../src/audit/actor.ts";
import { manualClock } from "../../../src/db/clock.ts";
import { importWordpress } from "../../../src/portal/import/importWordpress.ts";
import { findArticleBySourceKey, findCategoryBySlug } from "../../../src/portal/queries.ts";
import { onBothDatabases, tempDir, type TestDatabase } from "../../helpers/db.ts";

const SITE = "https://news.example.pk";
const photo = path.resolve(
  import.meta.dirname,
  "../../fixtures/wordpress-export/uploads/2021/05/seed-article-image.jpg",
);

interface Post {
  id: number;
  title: string;
  html: string;
  status?: string;
  type?: string;
  password?: string;
  slug?: string;
  categories?: string;
  meta?: Record<string, string>;
  comments?: string;
  attachmentUrl?: string;
  excerpt?: string;
}

const cdata = (s: string) => `<![CDATA[${s}]]>`;

function item(p: Post): string {
  const meta = Object.entries(p.meta ?? {})
    .map(
      ([k, v]) =>
        `<wp:postmeta><wp:meta_key>${cdata(k)}</wp:meta_key><wp:meta_value>${cdata(v)}</wp:meta_value></wp:postmeta>`,
    )
    .join("");
  return `<item><title>${cdata(p.title)}</title><link>${SITE}/${p.slug ?? `p${p.id}`}/</link>
<dc:creator>${cdata("writer")}</dc:creator><content:encoded>${cdata(p.html)}</content:encoded>
<excerpt:encoded>${cdata(p.excerpt ?? "")}</excerpt:encoded><wp:post_id>${p.id}</wp:post_id>
<wp:post_date>2024-01-0${(p.id % 9) + 1} 09:00:00</wp:post_date><wp:post_date_gmt>2024-01-0${(p.id % 9) + 1} 04:00:00</wp:post_date_gmt>
<wp:post_name>${cdata(p.slug ?? `p${p.id}`)}</wp:post_name><wp:status>${cdata(p.status ?? "publish")}</wp:status>
<wp:post_parent>0</wp:post_parent><wp:post_type>${cdata(p.type ?? "post")}</wp:post_type>
<wp:post_password>${cdata(p.password ?? "")}</wp:post_password>
${p.attachmentUrl ? `<wp:attachment_url>${cdata(p.attachmentUrl)}</wp:attachment_url>` : ""}
${p.categories ?? ""}${meta}${p.comments ?? ""}</item>`;
}

function comment(
  id: number,
  approved: string,
  content: string,
  extra: { parent?: number; type?: string } = {},
) {
  return `<wp:comment><wp:comment_id>${id}</wp:comment_id><wp:comment_author>${cdata(`reader ${id}`)}</wp:comment_author>
<wp:comment_author_email>${cdata(`r${id}@example.pk`)}</wp:comment_author_email><wp:comment_author_IP>${cdata("10.0.0.1")}</wp:comment_author_IP>
<wp:comment_date_gmt>${cdata("2024-02-01 10:00:00")}</wp:comment_date_gmt><wp:comment_content>${cdata(content)}</wp:comment_content>
<wp:comment_approved>${cdata(approved)}</wp:comment_approved><wp:comment_type>${cdata(extra.type ?? "comment")}</wp:comment_type>
<wp:comment_parent>${extra.parent ?? 0}</wp:comment_parent></wp:comment>`;
}

function wxr(posts: Post[]): string {
  return `<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/"><channel>
<title>News</title><link>${SITE}</link><language>ur</language><wp:wxr_version>1.2</wp:wxr_version>
<wp:base_site_url>${SITE}</wp:base_site_url><wp:base_blog_url>${SITE}</wp:base_blog_url>
<wp:author><wp:author_login>${cdata("writer")}</wp:author_login><wp:author_display_name>${cdata("Amna &amp; Bilal")}</wp:author_display_name></wp:author>
<wp:category><wp:category_nicename>${cdata("technology")}</wp:category_nicename><wp:cat_name>${cdata("ٹیکنالوجی")}</wp:cat_name></wp:category>
${posts.map(item).join("\n")}
</channel></rss>`;
}

const tech = `<category domain="category" nicename="technology">${cdata("ٹیکنالوجی")}</category>`;
const tags = `<category domain="post_tag" nicename="ai">${cdata("AI")}</category><category domain="post_tag" nicename="phones">${cdata("Phones &amp; tablets")}</category>`;

const POSTS: Post[] = [
  {
    id: 10,
    title: "پہلی خبر",
    html: `<p>پہلا پیراگراف۔</p><h3>یہ بھی پڑھیے</h3><ul><li><a href="${SITE}/later/">بعد کی خبر</a></li><li><a href="https://elsewhere.example/x">باہر</a></li></ul><p>دوسرا پیراگراف۔</p>`,
    categories: tech + tags,
    meta: { _thumbnail_id: "90", views: "42" },
    comments:
      comment(1, "1", "<p>Great!</p><p>Thanks &amp; regards</p>") +
      comment(2, "1", "Reply to <em>you</em>", { parent: 1 }) +
      comment(3, "spam", "buy now") +
      comment(4, "trash", "old") +
      comment(5, "1", "", { type: "pingback" }),
  },
  { id: 11, title: "Locked", html: "<p>Secret.</p>", password: "hunter2" },
  { id: 12, title: "Private note", html: "<p>Only for us.</p>", status: "private" },
  { id: 13, title: "", html: "<p>No title here.</p>" },
  {
    id: 14,
    title: "Too long ".repeat(30),
    html: "<p>Body.</p>",
    categories: `<category domain="category" nicename="sports">${cdata("Sports")}</category>`,
    comments: comment(6, "1", "never stored"),
  },
  { id: 15, title: "Binned", html: "<p>Gone.</p>", status: "trash" },
  {
    id: 16,
    title: "بعد کی خبر",
    slug: "later",
    html: `<p>آخری۔</p><p><img src="${SITE}/wp-content/uploads/2024/01/missing-300x200.jpg" class="wp-image-91" alt=""></p>`,
  },
  {
    id: 90,
    title: "photo",
    type: "attachment",
    html: "",
    status: "inherit",
    attachmentUrl: `${SITE}/wp-content/uploads/2024/01/photo.jpg`,
    excerpt: "A caption from the library",
    meta: { _wp_attachment_image_alt: "Alt from the library" },
  },
  {
    id: 91,
    title: "missing",
    type: "attachment",
    html: "",
    status: "inherit",
    attachmentUrl: `${SITE}/wp-content/uploads/2024/01/missing.jpg`,
  },
];

function setUp() {
  const dir = tempDir("rasai-wxr-");
  const uploads = path.join(dir, "uploads");
  fs.mkdirSync(path.join(uploads, "2024/01"), { recursive: true });
  fs.copyFileSync(photo, path.join(uploads, "2024/01/photo.jpg"));
  const file = path.join(dir, "export.xml");
  fs.writeFileSync(file, wxr(POSTS));
  return { file, uploads };
}

const ctx = (tdb: TestDatabase) => ({
  actor: cliActor(),
  clock: manualClock("2026-11-25T06:00:00Z"),
  dataDir: tdb.dataDir,
});

onBothDatabases("import wordpress: statuses, links, images, comments", (get) => {
  const { file, uploads } = setUp();
  const key = (id: number) => `wxr:${SITE}#${id}`;

  it("imports what it can and names each rejected post with its reason", async () => {
    const report = await importWordpress(get().db, { file, uploadsDir: uploads }, ctx(get()));
    assert.equal(report.items, 7);
    assert.equal(report.added, 3);
    const reasons = Object.fromEntries(report.rejected.map((r) => [r.postId, r.reason]));
    assert.deepEqual(Object.keys(reasons).map(Number).sort(), [11, 13, 14, 15]);
    assert.match(reasons[11]!, /password-protected/);
    assert.match(reasons[13]!, /no title/);
    assert.match(reasons[14]!, /^title: Too long: at most 200 characters/);
    assert.match(reasons[15]!, /"trash"/);
    assert.ok(report.rejected.find((r) => r.postId === 11)!.item.startsWith('post 11 "Locked"'));
    assert.equal(report.categoriesAdded, 1);
    const warnings = report.warnings.map((w) => `${w.item}: ${w.message}`);
    assert.ok(
      warnings.some((w) => /elsewhere\.example.*not a post of this export/.test(w)),
      warnings.join("\n"),
    );
    assert.ok(
      warnings.some((w) => /^post 16 .*missing\.jpg not imported: no such file/.test(w)),
      warnings.join("\n"),
    );
  });

  it("a rejected post leaves nothing behind, not even the category it created first", async () => {
    assert.equal(await findArticleBySourceKey(get().db, key(14)), undefined);
    assert.equal(await findCategoryBySlug(get().db, "sports"), undefined);
    const stray = await get()
      .db.selectFrom("comments")
      .select("id")
      .where("source_key", "=", `wxr:${SITE}#c6`)
      .execute();
    assert.equal(stray.length, 0);
  });

  it("links an also-read to a post that came later in the file", async () => {
    const db = get().db;
    const first = (await findArticleBySourceKey(db, key(10)))!;
    const later = (await findArticleBySourceKey(db, key(16)))!;
    assert.deepEqual(JSON.parse(first.also_read), [later.id]);
    assert.equal(first.also_read_after, 1);
  });

  it("uses the featured image with the library's alt and caption, and the category, tags and byline", async () => {
    const db = get().db;
    const a = (await findArticleBySourceKey(db, key(10)))!;
    assert.ok(a.image_path);
    assert.equal(a.image_alt, "Alt from the library");
    assert.equal(a.image_caption, "A caption from the library");
    assert.equal(a.view_count, 42);
    assert.equal(a.byline, "Amna & Bilal");
    assert.deepEqual(JSON.parse(a.tags), ["AI", "Phones & tablets"]);
    assert.equal(a.published_at, "2024-01-02T04:00:00.000Z");
    const category = await findCategoryBySlug(db, "technology");
    assert.ok(category);
    assert.equal(a.category_id, category.id);
    assert.equal(category.name_ur, "ٹیکنالوجی");
    assert.equal(category.name_en, "Technology");
  });

  it("brings a private post in as a draft, and an article without its image when the file is missing", async () => {
    const db = get().db;
    const priv = (await findArticleBySourceKey(db, key(12)))!;
    assert.equal(priv.status, "draft");
    assert.equal(priv.published_at, null);
    assert.equal(priv.lang, "en");
    const later = (await findArticleBySourceKey(db, key(16)))!;
    assert.equal(later.status, "published");
    assert.equal(later.image_path, null);
    assert.equal(later.image_caption, null);
  });

  it("keeps replies under their parent, spam and trash as spam, and skips pingbacks", async () => {
    const db = get().db;
    const a = (await findArticleBySourceKey(db, key(10)))!;
    const rows = await db.selectFrom("comments").selectAll().where("article_id", "=", a.id).execute();
    const by = (n: number) => rows.find((c) => c.source_key === `wxr:${SITE}#c${n}`)!;
    assert.equal(rows.length, 4);
    assert.equal(by(1).body, "Great!\n\nThanks & regards");
    assert.equal(by(2).parent_id, by(1).id);
    assert.equal(by(2).body, "Reply to you");
    assert.equal(by(3).status, "spam");
    assert.equal(by(4).status, "spam");
    assert.equal(by(1).author_email, "r1@example.pk");
  });

  it("adds nothing the second time, and --lang decides the language when given", async () => {
    const db = get().db;
    const again = await importWordpress(db, { file, uploadsDir: uploads, lang: "en" }, ctx(get()));
    assert.equal(again.added, 0);
    assert.equal(again.existing, 3);
    assert.equal(again.rejected.length, 4);
    assert.equal(again.comments.added, 0);

    const other = path.join(tempDir(), "one.xml");
    fs.writeFileSync(
      other,
      wxr([{ id: 50, title: "اردو عنوان", html: "<p>متن</p>" }]).replaceAll(SITE, "https://b.example"),
    );
    const r = await importWordpress(db, { file: other, lang: "en" }, ctx(get()));
    assert.equal(r.added, 1);
    assert.equal((await findArticleBySourceKey(db, "wxr:https://b.example#50"))!.lang, "en");
  });
});
