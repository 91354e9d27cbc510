import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { describe, it } from "node:test";
import { readArticleLines, validateArticle } from "../../../src/portal/import/jsonl.ts";
import type { ArticleLine } from "../../../src/portal/import/jsonl.ts";

const articlePath = path.resolve(import.meta.dirname, "../../fixtures/seed-article/article.json");
const seed = JSON.parse(fs.readFileSync(articlePath, "utf8")) as Record<string, unknown>;

async function read(input: string | Buffer | AsyncIterable<Buffer | string>, maxLineBytes?: number) {
  const source = typeof input === "string" || Buffer.isBuffer(input) ? Readable.from([input]) : input;
  const out: ArticleLine[] = [];
  for await (const r of readArticleLines(source, maxLineBytes === undefined ? {} : { maxLineBytes }))
    out.push(r);
  return out;
}

function reasonOf(r: ArticleLine | undefined): string {
  assert.ok(r && !r.ok, `expected a rejection, got ${JSON.stringify(r)}`);
  return r.reason;
}

const minimal = { language: "en", title: "A title", body_paragraphs: ["One."] };
const line = (o: unknown) => JSON.stringify(o);

describe("readArticleLines", () => {
  it("accepts article.json as one line, with every field carried over", async () => {
    const [r] = await read(`${line(seed)}\n`);
    assert.ok(r?.ok);
    assert.equal(r.line, 1);
    assert.deepEqual(r.ignoredFields, []);
    assert.deepEqual(r.article, {
      language: "ur",
      title: seed["title"],
      strap: seed["strap"],
      view_count: 819,
      image_caption: seed["image_caption"],
      body_paragraphs: seed["body_paragraphs"],
      also_read_heading: "یہ بھی پڑھیے",
      also_read_after_paragraph: 2,
      also_read_titles: seed["also_read_titles"],
      slug: null,
      published_at: null,
      category: null,
      expires_at: null,
      kind: "news",
      image: null,
      image_alt: null,
    });
  });

  it("accepts the optional import fields and normalises published_at to UTC", async () => {
    const [r] = await read(
      line({
        ...minimal,
        slug: "south-korea-iac",
        published_at: "2021-05-10T15:00:00+05:00",
        category: "technology",
        kind: "notice",
        image: "images/lead.jpg",
        image_alt: "Two ministers",
        extra: true,
      }),
    );
    assert.ok(r?.ok);
    assert.equal(r.article.published_at, "2021-05-10T10:00:00.000Z");
    assert.equal(r.article.kind, "notice");
    assert.equal(r.article.slug, "south-korea-iac");
    assert.equal(r.article.category, "technology");
    assert.equal(r.article.image, "images/lead.jpg");
    assert.equal(r.article.image_alt, "Two ministers");
    assert.equal(r.article.also_read_titles.length, 0);
    assert.deepEqual(r.ignoredFields, ["extra"]);
  });

  it("skips blank lines, keeps real line numbers, handles CRLF and a BOM, and never stops on a bad line", async () => {
    const text =
      "\uFEFF" +
      [
        line(minimal),
        "",
        "   ",
        "{not json",
        line({ ...minimal, title: "Second" }),
        "[1,2]",
        "null",
        line({ ...minimal, title: "Last" }),
      ].join("\r\n");
    const rs = await read(text);
    assert.deepEqual(
      rs.map((r) => [r.line, r.ok]),
      [
        [1, true],
        [4, false],
        [5, true],
        [6, false],
        [7, false],
        [8, true],
      ],
    );
    assert.match(reasonOf(rs[1]), /^not valid JSON: /);
    assert.match(reasonOf(rs[3]), /must be a JSON object, not an array/);
    assert.match(reasonOf(rs[4]), /must be a JSON object, not null/);
    assert.equal(rs[5]?.ok && rs[5].article.title, "Last");
  });

  it("names the field in every rejection", async () => {
    const cases: [unknown, RegExp][] = [
      [{ title: "t", body_paragraphs: ["p"] }, /^language: missing/],
      [{ ...minimal, language: "fr" }, /^language: must be "ur" or "en", got "fr"/],
      [{ ...minimal, title: undefined }, /^title: missing/],
      [{ ...minimal, title: "   " }, /^title: is empty/],
      [{ ...minimal, title: 5 }, /^title: must be a string, got number 5/],
      [{ ...minimal, body_paragraphs: [] }, /^body_paragraphs: is empty/],
      [{ ...minimal, body_paragraphs: "text" }, /^body_paragraphs: must be an array of strings/],
      [{ ...minimal, body_paragraphs: ["ok", 3] }, /^body_paragraphs\[1\]: must be a string/],
      [{ ...minimal, body_paragraphs: ["ok", ""] }, /^body_paragraphs\[1\]: is empty/],
      [{ ...minimal, strap: ["x"] }, /^strap: must be a string, got an array/],
      [{ ...minimal, view_count: -1 }, /^view_count: must be a whole number/],
      [{ ...minimal, view_count: "819" }, /^view_count: must be a whole number/],
      [
        { ...minimal, also_read_after_paragraph: 2 },
        /^also_read_after_paragraph: 2 is past the last paragraph/,
      ],
      [{ ...minimal, also_read_titles: "x" }, /^also_read_titles: must be an array/],
      [{ ...minimal, also_read_titles: ["a", null] }, /^also_read_titles\[1\]: must be a string/],
      [{ ...minimal, published_at: "yesterday" }, /^published_at: must be an ISO 8601 date-time/],
      [{ ...minimal, published_at: "2021-02-30T10:00:00Z" }, /^published_at: /],
      [{ ...minimal, published_at: "2021-05-10T10:00:00" }, /^published_at: .*with a timezone/],
      [{ ...minimal, published_at: "2021-05-10" }, /^published_at: /],
      [{ ...minimal, kind: "opinion" }, /^kind: must be "news", "notice" or "guide", got "opinion"/],
      [{ ...minimal, slug: "has space" }, /^slug: /],
      [{ ...minimal, image: 7 }, /^image: must be a string/],
      [{ ...minimal, image_alt: {} }, /^image_alt: must be a string, got an object/],
      [{ ...minimal, category: false }, /^category: must be a string/],
    ];
    const rs = await read(cases.map(([o]) => line(o)).join("\n"));
    assert.equal(rs.length, cases.length);
    rs.forEach((r, i) => assert.match(reasonOf(r), cases[i]![1], `line ${i + 1}`));
  });

  it("lists every problem of a line, not only the first", async () => {
    const [r] = await read(line({ language: "de", body_paragraphs: [], kind: 1 }));
    const reason = reasonOf(r);
    for (const field of ["language:", "title:", "body_paragraphs:", "kind:"])
      assert.ok(reason.includes(field), reason);
  });

  it("rejects a line over 1 MB and reads on", async () => {
    const big = line({ ...minimal, body_paragraphs: ["x".repeat(1024 * 1024 + 10)] });
    async function* chunks(): AsyncGenerator<Buffer> {
      const all = Buffer.from(`${line(minimal)}\n${big}\n${line({ ...minimal, title: "After" })}`);
      for (let i = 0; i < all.length; i += 16 * 1024) yield all.subarray(i, i + 16 * 1024);
    }
    const rs = await read(chunks());
    assert.deepEqual(
      rs.map((r) => [r.line, r.ok]),
      [
        [1, true],
        [2, false],
        [3, true],
      ],
    );
    assert.equal(reasonOf(rs[1]), "line is longer than 1048576 bytes");
  });

  it("does not buffer a 64 MB line past the limit", async () => {
    const piece = Buffer.alloc(64 * 1024, 0x78);
    global.gc?.();
    const baseline = process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
    let peak = 0;
    async function* endless(): AsyncGenerator<Buffer> {
      for (let i = 0; i < 1024; i++) {
        const m = process.memoryUsage();
        peak = Math.max(peak, m.heapUsed + m.arrayBuffers - baseline);
        yield piece;
      }
      yield Buffer.from(`\n${line(minimal)}\n`);
    }
    const rs = await read(endless());
    assert.deepEqual(
      rs.map((r) => [r.line, r.ok]),
      [
        [1, false],
        [2, true],
      ],
    );
    assert.ok(peak < 32 * 1024 * 1024, `memory grew by ${Math.round(peak / 1024 / 1024)} MB`);
  });

  it("honours a smaller limit exactly at the boundary, and a final line without a newline", async () => {
    const ok = line(minimal);
    const rs = await read(`${ok}\n${ok} \n${ok}`, Buffer.byteLength(ok));
    assert.deepEqual(
      rs.map((r) => [r.line, r.ok]),
      [
        [1, true],
        [2, false],
        [3, true],
      ],
    );
  });

  it("rejects a line that is not UTF-8 and carries on", async () => {
    const bad = Buffer.concat([
      Buffer.from('{"language":"en","title":"caf'),
      Buffer.from([0xe9]),
      Buffer.from('"}\n'),
    ]);
    const rs = await read(Buffer.concat([bad, Buffer.from(line(minimal))]));
    assert.equal(reasonOf(rs[0]), "line is not valid UTF-8");
    assert.equal(rs[1]?.ok, true);
  });

  it("splits lines correctly when multi-byte Urdu characters straddle chunks", async () => {
    const text = [line(seed), line({ ...seed, title: "دوسرا مضمون" })].join("\n");
    const buf = Buffer.from(text);
    async function* bytes(): AsyncGenerator<Buffer> {
      for (let i = 0; i < buf.length; i += 7) yield buf.subarray(i, i + 7);
    }
    const rs = await read(bytes());
    assert.deepEqual(
      rs.map((r) => r.ok && r.article.title),
      [seed["title"], "دوسرا مضمون"],
    );
  });
});

describe("JSONL expires_at", () => {
  it("reads a notice's expiry as UTC and refuses a date without a zone", () => {
    const good = validateArticle({
      language: "ur",
      title: "اعلان",
      body_paragraphs: ["x"],
      kind: "notice",
      expires_at: "2027-01-31T17:00:00+05:00",
    });
    assert.ok(good.ok);
    if (good.ok) assert.equal(good.article.expires_at, "2027-01-31T12:00:00.000Z");
    const bad = validateArticle({
      language: "ur",
      title: "اعلان",
      body_paragraphs: ["x"],
      kind: "notice",
      expires_at: "31/01/2027",
    });
    assert.ok(!bad.ok);
    if (!bad.ok) assert.match(bad.problems.join(" "), /expires_at/);
  });
});
