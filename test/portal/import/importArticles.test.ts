import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { it } from "node:test";
import { cliActor } from "../../../src/audit/actor.ts";
import { manualClock } from "../../../src/db/clock.ts";
import { newId } from "../../../src/db/ids.ts";
import { importArticles, jsonlSourceKey } from "../../../src/portal/import/importArticles.ts";
import { ImportFailed, type ImportEvent } from "../../../src/portal/import/report.ts";
import { findArticleBySourceKey, insertCategory } from "../../../src/portal/queries.ts";
import { onBothDatabases, tempDir, type TestDatabase } from "../../helpers/db.ts";

const fixtures = path.resolve(import.meta.dirname, "../../fixtures");
const seed = JSON.parse(fs.readFileSync(path.join(fixtures, "seed-article/article.json"), "utf8")) as {
  language: "ur";
  title: string;
  strap: string;
  image_caption: string;
  body_paragraphs: string[];
  also_read_titles: string[];
};
const photo = path.join(fixtures, "wordpress-export/uploads/2021/05/seed-article-image.jpg");

const ctx = (tdb: TestDatabase, events: ImportEvent[] = []) => ({
  actor: cliActor(),
  clock: manualClock("2026-11-25T06:00:00Z"),
  dataDir: tdb.dataDir,
  onProgress: (e: ImportEvent) => events.push(e),
});

const short = (title: string) => ({ language: "ur", title, body_paragraphs: [`${title}۔`] });

/** Line numbers in comments: the tests name them. */
const LINES: (string | object)[] = [
  /* 1 */ {
    ...seed,
    slug: "south-korea-iac",
    published_at: "2021-05-10T15:00:00+05:00",
    category: "technology",
    image: "images/seed.jpg",
  },
  /* 2 */ "{ this is not json",
  /* 3 */ short(seed.also_read_titles[0]!),
  /* 4 */ { language: "en", body_paragraphs: ["No title."] },
  /* 5 */ {
    language: "en",
    title: "Without a slug",
    body_paragraphs: ["Known by its title."],
    view_count: 5,
  },
  /* 6 */ { language: "en", title: "Odd category", body_paragraphs: ["x"], category: "no-such-category" },
  /* 7 */ { language: "en", title: "A notice", body_paragraphs: ["x"], kind: "notice" },
  /* 8 */ { language: "en", title: "Escaping image", body_paragraphs: ["x"], image: "../../etc/passwd" },
  /* 9 */ { ...short(seed.also_read_titles[1]!), published_at: "2021-05-02T10:00:00Z" },
];

function writeJsonl(): string {
  const dir = tempDir("rasai-jsonl-");
  fs.mkdirSync(path.join(dir, "images"));
  fs.copyFileSync(photo, path.join(dir, "images/seed.jpg"));
  const file = path.join(dir, "articles.jsonl");
  fs.writeFileSync(
    file,
    `${LINES.map((l) => (typeof l === "string" ? l : JSON.stringify(l))).join("\n")}\n\n`,
  );
  return file;
}

onBothDatabases("import articles (JSONL)", (get) => {
  const file = writeJsonl();

  it("imports the good lines, reports each bad one with its reason, and carries on", async () => {
    const db = get().db;
    const now = new Date().toISOString();
    await insertCategory(db, {
      id: newId(),
      centre_id: null,
      slug: "technology",
      name_ur: "ٹیکنالوجی",
      name_en: "Technology",
      created_at: now,
      updated_at: now,
      deleted_at: null,
    });
    const events: ImportEvent[] = [];
    const report = await importArticles(db, { file }, ctx(get(), events));
    assert.equal(report.items, 9);
    assert.equal(report.added, 5);
    assert.equal(report.existing, 0);
    const reasons = Object.fromEntries(report.rejected.map((r) => [r.line, r.reason]));
    assert.deepEqual(Object.keys(reasons).map(Number), [2, 4, 6, 7]);
    assert.match(reasons[2]!, /not valid JSON/);
    assert.match(reasons[4]!, /title: missing/);
    assert.match(reasons[6]!, /no category "no-such-category"/);
    assert.match(reasons[7]!, /expires_at/);
    assert.equal(report.rejected.find((r) => r.line === 6)!.item, 'line 6 "Odd category"');
    assert.ok(
      report.warnings.some(
        (w) => w.item?.startsWith("line 8") && /outside the file's folder/.test(w.message),
      ),
    );
    assert.equal(events.filter((e) => e.type === "rejected").length, 4);
    assert.equal(events.filter((e) => e.type === "progress").length, 9);
  });

  it("brings the seed article in published, with its image and its also-read links", async () => {
    const db = get().db;
    const a = (await findArticleBySourceKey(db, "jsonl:ur:south-korea-iac"))!;
    assert.ok(a);
    assert.equal(a.status, "published");
    assert.equal(a.published_at, "2021-05-10T10:00:00.000Z");
    assert.equal(a.title, seed.title);
    assert.equal(a.strap, seed.strap);
    assert.deepEqual(a.body_md.split("\n\n"), seed.body_paragraphs);
    assert.equal(a.view_count, 819);
    assert.equal(a.also_read_after, 2);
    assert.ok(a.image_path);
    assert.equal(a.image_caption, seed.image_caption);
    assert.equal(a.image_alt, seed.image_caption, "alt falls back to the caption");
    // One title came before in the file, one after: both resolve.
    const first = (await findArticleBySourceKey(
      db,
      jsonlSourceKey({ ...short(seed.also_read_titles[0]!), language: "ur", slug: null }),
    ))!;
    const second = (await findArticleBySourceKey(
      db,
      jsonlSourceKey({ ...short(seed.also_read_titles[1]!), language: "ur", slug: null }),
    ))!;
    assert.deepEqual(JSON.parse(a.also_read), [first.id, second.id]);
  });

  it("brings a line without published_at in as a draft, known by its title", async () => {
    const a = (await findArticleBySourceKey(
      get().db,
      jsonlSourceKey({ language: "en", slug: null, title: "Without a slug" }),
    ))!;
    assert.ok(a);
    assert.match(a.source_key!, /^jsonl:en:title:[0-9a-f]{40}$/);
    assert.equal(a.status, "draft");
    assert.equal(a.published_at, null);
    assert.equal(a.view_count, 5);
    const escaping = (await findArticleBySourceKey(
      get().db,
      jsonlSourceKey({ language: "en", slug: null, title: "Escaping image" }),
    ))!;
    assert.equal(escaping.image_path, null);
  });

  it("adds nothing when run again", async () => {
    const db = get().db;
    const count = async () => (await db.selectFrom("articles").select("id").execute()).length;
    const before = await count();
    const report = await importArticles(db, { file }, ctx(get()));
    assert.equal(report.added, 0);
    assert.equal(report.existing, 5);
    assert.equal(report.rejected.length, 4);
    assert.equal(await count(), before);
  });

  it("fails with one clear message for a file it cannot read or a centre that does not exist", async () => {
    await assert.rejects(
      importArticles(get().db, { file: path.join(tempDir(), "none.jsonl") }, ctx(get())),
      (e: unknown) => e instanceof ImportFailed && /no such file/.test(e.message),
    );
    await assert.rejects(
      importArticles(get().db, { file: tempDir() }, ctx(get())),
      (e: unknown) => e instanceof ImportFailed && /not a file/.test(e.message),
    );
    await assert.rejects(
      importArticles(get().db, { file, centre: "NOPE-01" }, ctx(get())),
      (e: unknown) => e instanceof ImportFailed && /No centre with code NOPE-01/.test(e.message),
    );
  });
});
