import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { it } from "node:test";
import { cliActor } from "../../../src/audit/actor.ts";
import { manualClock } from "../../../src/db/clock.ts";
import type { Db } from "../../../src/db/connect.ts";
import { listApprovedComments } from "../../../src/portal/comments/queries.ts";
import { importWordpress } from "../../../src/portal/import/importWordpress.ts";
import { ImportFailed, type ImportEvent } from "../../../src/portal/import/report.ts";
import { findArticleBySourceKey, findArticlesByIds } from "../../../src/portal/queries.ts";
import { onBothDatabases, tempDir, type TestDatabase } from "../../helpers/db.ts";

const fixtures = path.resolve(import.meta.dirname, "../../fixtures");
const exportDir = path.join(fixtures, "wordpress-export");
const exportFile = path.join(exportDir, "export.xml");
const uploadsDir = path.join(exportDir, "uploads");
const seed = JSON.parse(fs.readFileSync(path.join(fixtures, "seed-article/article.json"), "utf8")) as {
  title: string;
  strap: string;
  view_count: number;
  image_caption: string;
  body_paragraphs: string[];
  also_read_after_paragraph: number;
  also_read_titles: string[];
};
const SITE = "http://127.0.0.1:8081";

function ctx(tdb: TestDatabase, events: ImportEvent[] = []) {
  return {
    actor: cliActor(),
    clock: manualClock("2026-11-25T06:00:00Z"),
    dataDir: tdb.dataDir,
    onProgress: (e: ImportEvent) => events.push(e),
  };
}

async function counts(db: Db) {
  const n = async (table: "articles" | "comments" | "categories" | "article_revisions") =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return {
    articles: await n("articles"),
    comments: await n("comments"),
    categories: await n("categories"),
    revisions: await n("article_revisions"),
  };
}

onBothDatabases("import wordpress: the real export", (get) => {
  it("imports the posts, the page and the comments, with nothing rejected", async () => {
    const events: ImportEvent[] = [];
    const report = await importWordpress(get().db, { file: exportFile, uploadsDir }, ctx(get(), events));
    assert.equal(report.items, 4);
    assert.equal(report.added, 4);
    assert.equal(report.existing, 0);
    assert.deepEqual(report.rejected, []);
    assert.deepEqual(report.warnings, []);
    assert.deepEqual(report.comments, { added: 4, existing: 0, skipped: 0 });
    const last = events.filter((e) => e.type === "progress").pop();
    assert.deepEqual(last, { type: "progress", items: 4, total: 4, added: 4, existing: 0, rejected: 0 });
  });

  it("brings the seed article across as it was published", async () => {
    const a = await findArticleBySourceKey(get().db, `wxr:${SITE}#7`);
    assert.ok(a);
    assert.equal(a.status, "published");
    assert.equal(a.lang, "ur");
    assert.equal(a.kind, "news");
    assert.equal(a.title, seed.title);
    assert.equal(a.strap, seed.strap);
    assert.deepEqual(a.body_md.split("\n\n"), seed.body_paragraphs);
    assert.equal(a.body_md.split("\n\n").length, 7);
    assert.equal(a.published_at, "2021-05-10T10:00:00.000Z");
    assert.equal(a.view_count, seed.view_count);
    assert.equal(a.view_count, 819);
    assert.equal(a.byline, "admin");
    assert.equal(a.category_id, null, "WordPress's 'Uncategorized' is no category");
  });

  it("links the also-read block after paragraph 2 to the two imported posts", async () => {
    const db = get().db;
    const a = (await findArticleBySourceKey(db, `wxr:${SITE}#7`))!;
    assert.equal(a.also_read_after, seed.also_read_after_paragraph);
    assert.equal(a.also_read_after, 2);
    const ids = JSON.parse(a.also_read) as string[];
    const linked = await findArticlesByIds(db, ids);
    const inOrder = ids.map((id) => linked.find((x) => x.id === id)!);
    assert.deepEqual(
      inOrder.map((x) => x.source_key),
      [`wxr:${SITE}#4`, `wxr:${SITE}#5`],
    );
    assert.deepEqual(
      inOrder.map((x) => x.title),
      seed.also_read_titles,
    );
  });

  it("takes the lead image from the uploads folder, at its original size, with caption and alt text", async () => {
    const a = (await findArticleBySourceKey(get().db, `wxr:${SITE}#7`))!;
    assert.ok(a.image_path);
    assert.equal(a.image_width, 1200, "the original, not the 1024 px copy the text shows");
    assert.equal(a.image_caption, seed.image_caption);
    assert.ok(a.image_alt && a.image_alt.trim().length > 0);
    const variants = JSON.parse(a.image_variants) as { file: string; format: string }[];
    assert.ok(variants.length >= 3);
    for (const v of variants) {
      assert.ok(fs.existsSync(path.join(get().dataDir, "media", v.file)), `${v.file} written`);
    }
    assert.deepEqual([...new Set(variants.map((v) => v.format))].sort(), ["avif", "jpeg", "webp"]);
  });

  it("keeps approved comments approved and the unapproved one unpublished, its <script> as text", async () => {
    const db = get().db;
    const a = (await findArticleBySourceKey(db, `wxr:${SITE}#7`))!;
    const all = await db.selectFrom("comments").selectAll().where("article_id", "=", a.id).execute();
    assert.equal(all.length, 4);
    const approved = await listApprovedComments(db, a.id);
    assert.deepEqual(approved.map((c) => c.author_name).sort(), ["Sara K.", "احمد", "زینب"].sort());
    const spam = all.find((c) => c.author_name === "spammer")!;
    assert.equal(spam.status, "pending");
    assert.equal(spam.source_key, `wxr:${SITE}#c4`);
    assert.match(spam.body, /<script>alert\(1\)<\/script>/, "the script is kept as the text it was");
    assert.match(spam.body, /^Cheap deals click \(http:\/\/spam\.example\/\)/, "the link became text");
    assert.equal(spam.ip_hash, null);
    const sara = all.find((c) => c.author_name === "Sara K.")!;
    assert.equal(sara.body, "Will the centre offer evening classes for women?");
    assert.equal(sara.created_at, "2021-05-02T10:00:00.000Z");
  });

  it("imports the page, a draft in WordPress, as an English draft", async () => {
    const page = await findArticleBySourceKey(get().db, `wxr:${SITE}#3`);
    assert.ok(page);
    assert.equal(page.title, "Privacy Policy");
    assert.equal(page.status, "draft");
    assert.equal(page.lang, "en");
    assert.equal(page.kind, "guide");
    assert.equal(page.published_at, null);
    assert.match(page.body_md, /^\*\*Who we are\*\*/);
  });

  it("writes audit rows as the CLI actor", async () => {
    const rows = await get().db.selectFrom("audit_log").selectAll().execute();
    assert.ok(rows.some((r) => r.action === "article.created"));
    assert.ok(rows.some((r) => r.action === "comment.imported"));
    assert.ok(rows.some((r) => r.action === "import.wordpress"));
    assert.ok(rows.every((r) => r.actor_kind === "cli"));
  });

  it("adds nothing when run again", async () => {
    const db = get().db;
    const before = await counts(db);
    const media = fs.readdirSync(path.join(get().dataDir, "media")).length;
    const audit = (await db.selectFrom("audit_log").select("id").execute()).length;
    const report = await importWordpress(db, { file: exportFile, uploadsDir }, ctx(get()));
    assert.equal(report.added, 0);
    assert.equal(report.existing, 4);
    assert.deepEqual(report.rejected, []);
    assert.deepEqual(report.comments, { added: 0, existing: 4, skipped: 0 });
    assert.deepEqual(await counts(db), before);
    assert.equal(fs.readdirSync(path.join(get().dataDir, "media")).length, media);
    assert.equal((await db.selectFrom("audit_log").select("id").execute()).length, audit);
  });

  it("refuses a file with a DOCTYPE whole, before anything is written", async () => {
    const db = get().db;
    const before = await counts(db);
    const xml = fs
      .readFileSync(exportFile, "utf8")
      .replace(
        '<?xml version="1.0" encoding="UTF-8" ?>',
        '<?xml version="1.0" encoding="UTF-8" ?>\n<!DOCTYPE rss>',
      )
      .replaceAll(SITE, "http://other.example");
    const file = path.join(tempDir(), "doctype.xml");
    fs.writeFileSync(file, xml);
    await assert.rejects(
      importWordpress(db, { file, uploadsDir }, ctx(get())),
      (e: unknown) => e instanceof ImportFailed && /DTDs are not accepted/.test(e.message),
    );
    assert.deepEqual(await counts(db), before);
  });

  it("fails with one clear message for a missing file or uploads folder", async () => {
    await assert.rejects(
      importWordpress(get().db, { file: "/nonexistent/export.xml" }, ctx(get())),
      (e: unknown) => e instanceof ImportFailed && /no such file/.test(e.message),
    );
    await assert.rejects(
      importWordpress(get().db, { file: exportFile, uploadsDir: "/nonexistent/uploads" }, ctx(get())),
      (e: unknown) => e instanceof ImportFailed && /uploads folder/.test(e.message),
    );
  });
});
