// Each body word's signature, stored when the body is indexed (src/search/snippetBits.ts): a
// snippet made with them is the snippet made by looking every word up, for every query and text,
// and signatures that do not fit (another format, or none) are not used.
import assert from "node:assert/strict";
import fs from "node:fs";
import { describe, it } from "node:test";
import { sql } from "kysely";
import { manualClock } from "../../src/db/clock.ts";
import { indexInBulk } from "../../src/search/bulkIndex.ts";
import { indexDocuments } from "../../src/search/indexer.ts";
import { planQuery, withPrefixTail } from "../../src/search/plan.ts";
import { pageRows } from "../../src/search/queries.ts";
import { search } from "../../src/search/search.ts";
import { hitTester, SCAN_CHARS, snippet } from "../../src/search/snippet.ts";
import { encodeSnippetBits, snippetBits, storedSnippetBits } from "../../src/search/snippetBits.ts";
import { ANY_SLOTS, formSlot, signatureOf, slotsOf, termsOfToken } from "../../src/search/terms.ts";
import { onBothDatabases } from "../helpers/db.ts";
import { searchSource } from "../helpers/search.ts";

interface CorpusDoc {
  title: string;
  strap: string;
  body: string;
}
const fixture = <T>(name: string): T =>
  JSON.parse(fs.readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8")) as T;
const corpus = fixture<CorpusDoc[]>("relevance-corpus.json");
const queries = fixture<{ query: string }[]>("relevance-queries.json").map((q) => q.query);

/** A text of mixed scripts, joiners, marks, digits, emoji and odd spacing, from a seed. */
function mixedText(seed: number, words: number): string {
  const pieces = [
    "کمپیوٹر",
    "كمپيوٹر",
    "کِتاب",
    "بهی",
    "ٹیلی\u200cکام",
    "سینٹر",
    "کیلئے",
    "کے لیے",
    "Centre",
    "centers",
    "kampiutar",
    "۲۰۲۰",
    "2020",
    "😀",
    "𝐀𝐁",
    "<script>",
    "ـــ",
    "\u00a0",
    "\n\n",
    "،",
    "course",
    "تربیت",
  ];
  let x = seed;
  const next = () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0) % pieces.length;
  return Array.from({ length: words }, () => pieces[next()]).join(" ");
}

let texts = 0;
/**
 * The snippet made with stored bits is the one made by looking the words up. Snippets keep a text
 * met twice tokenised (snippet.ts), so each text is made new (a word in front): the first call
 * reads it with its bits, the second looks its words up.
 */
const same = (raw: string, q: string) => {
  const text = `w${++texts} ${raw}`;
  const test = hitTester(planQuery(q).groups);
  const stored = snippet(text, test, () => storedSnippetBits(snippetBits(text)));
  const looked = snippet(text, test);
  assert.deepEqual(stored, looked, `"${q}" in ${JSON.stringify(text.slice(0, 80))}…`);
  // What is stored is what the part a snippet reads would give on its own.
  assert.deepEqual(snippetBits(raw), snippetBits(raw.slice(0, SCAN_CHARS)));
};

/** The words a snippet marks in a text met for the first time, read with its stored bits. */
const hitsWithStoredBits = (text: string, q: string) =>
  snippet(text, hitTester(planQuery(q).groups), () => storedSnippetBits(snippetBits(text)))
    .filter((s) => s.hit)
    .map((s) => s.text);

describe("stored snippet bits", () => {
  it("give the same snippet as looking every word up: the relevance corpus and its queries", () => {
    for (const doc of corpus) {
      for (const q of queries) same(doc.body, q);
      same(doc.strap, queries[0]!);
    }
  });

  it("give the same snippet in mixed texts, long ones cut mid-word where snippets stop reading", () => {
    const asked = ["کمپیوٹر کورس", "kampiutar", "centre", "بھی", "ٹیلیکام", "2020", "کے لیے تربیت", "کمپ"];
    for (let seed = 1; seed <= 40; seed++) {
      const text = mixedText(seed, seed % 4 === 0 ? 1500 : 60);
      for (const q of asked) same(text, q);
    }
    // A word that SCAN_CHARS cuts in two: stored for the part a snippet reads, as it reads it.
    const cut = `${"x".repeat(SCAN_CHARS - 4)} کمپیوٹر`;
    for (const q of ["کمپیوٹر", "کمپ", "x"]) same(cut, q);
    // …and one cut inside a letter outside the first plane (half a surrogate pair is no letter).
    // Here a snippet reads "computer" whole, the 𝐀 after it cut to a lone half.
    const halfLetter = `${"ab ".repeat((SCAN_CHARS - 9) / 3)}computer𝐀𝐁`;
    assert.equal(halfLetter.slice(0, SCAN_CHARS).at(-1), "\ud835");
    for (const text of [halfLetter, `${"x".repeat(SCAN_CHARS - 1)}𝐀𝐁 computer`])
      for (const q of ["x", "ab", "computer"]) same(text, q);
    assert.deepEqual(hitsWithStoredBits(halfLetter, "computer"), ["computer"]);
  });

  it("mark the hits for a query whose words share no bits with most of the text", () => {
    const text = `${"مرکز میں نئی کلاس ".repeat(30)} کمپیوٹر ${"شام کو ".repeat(20)}`;
    assert.deepEqual(hitsWithStoredBits(text, "کمپیوٹر"), ["کمپیوٹر"]);
  });

  it("are not used when missing, of another format, or malformed", () => {
    const bits = snippetBits("مرکز میں کمپیوٹر");
    assert.equal(storedSnippetBits(null), null);
    assert.equal(storedSnippetBits(undefined), null);
    assert.equal(storedSnippetBits(new Uint8Array(0)), null);
    assert.equal(storedSnippetBits(bits.subarray(0, bits.length - 1)), null, "not whole words");
    const other = bits.slice();
    other[0] = other[0]! ^ 1;
    assert.equal(storedSnippetBits(other), null, "another format or SCAN_CHARS");
    assert.equal(storedSnippetBits(bits)?.length, 3, "a word each, behind the header");
  });

  it("keep a word's signature in three bytes, and one of more than three slots is never passed over", () => {
    const signatures = [0, signatureOf([0]), signatureOf([127, 5]), signatureOf([3, 64, 127]), ANY_SLOTS];
    assert.equal(signatureOf([1, 2, 3, 4]), ANY_SLOTS, "four slots");
    assert.equal(signatureOf([9, 9, 9]), signatureOf([9]), "a slot taken twice is one");
    assert.notEqual(signatureOf([0]), 0, "slot 0 is not 'no forms'");
    const stored = encodeSnippetBits({ chars: SCAN_CHARS, signatures });
    assert.equal(stored.byteLength, 4 + signatures.length * 3);
    assert.deepEqual([...storedSnippetBits(stored)!], signatures);
    assert.deepEqual(slotsOf(signatureOf([3, 64, 127])), [3, 64, 127]);
    assert.deepEqual(slotsOf(0), []);
  });

  it("let a query pass over a word only when it takes none of the word's slots", () => {
    const test = hitTester(planQuery("computer").groups);
    const taken = formSlot(termsOfToken("computer").primary);
    const free = Array.from({ length: 128 }, (_, i) => i).filter((i) => !test.may(signatureOf([i])));
    assert.ok(free.length >= 120, `${free.length} slots free`);
    assert.equal(test.may(signatureOf([taken])), true);
    assert.equal(test.may(signatureOf([free[0]!, free[1]!, taken])), true, "any of its slots");
    assert.equal(test.may(signatureOf([free[0]!, free[1]!, free[2]!])), false);
    assert.equal(test.may(0), false, "a word of no forms");
    assert.equal(test.may(ANY_SLOTS), true);
    assert.equal(
      hitTester(withPrefixTail(planQuery("comp")).groups).may(signatureOf([free[0]!])),
      true,
      "a prefix",
    );
  });

  it("read the same from a buffer at any offset (a driver's pooled buffer)", () => {
    const bits = snippetBits("مرکز میں کمپیوٹر کی تربیت");
    const padded = new Uint8Array(bits.length + 3);
    padded.set(bits, 3);
    assert.deepEqual(storedSnippetBits(padded.subarray(3)), storedSnippetBits(bits));
  });
});

const clock = manualClock("2026-12-05T06:00:00Z");

onBothDatabases("stored snippet bits in the index", (get) => {
  const docs = corpus.map((d, i) =>
    searchSource({
      id: `0190e000-0000-7000-8000-${String(i).padStart(12, "0")}`,
      title: d.title,
      strap: d.strap,
      body_text: d.body,
      path: `/articles/${i}`,
      published_at: new Date(Date.parse("2026-10-01T00:00:00Z") + i * 60_000).toISOString(),
    }),
  );

  it("are written with each document and read back with its page row", async () => {
    const { db } = get();
    await db.transaction().execute((trx) => indexDocuments(trx, docs, clock));
    const row = await db
      .selectFrom("search_documents")
      .select("doc_key")
      .where("id", "=", docs[0]!.id)
      .executeTakeFirstOrThrow();
    const key = Number(row.doc_key);
    const page = await pageRows(db, [key], { body: true, bodyChars: SCAN_CHARS });
    assert.deepEqual(
      storedSnippetBits(page.get(key)?.snippet_bits),
      storedSnippetBits(snippetBits(docs[0]!.body_text)),
    );
  });

  it("are written by a bulk load too, whose analysis runs on a worker thread", async () => {
    const { db } = get();
    const more = docs.map((d, i) => ({ ...d, id: `0190e000-0000-7000-8001-${String(i).padStart(12, "0")}` }));
    await indexInBulk(db, [more.slice(0, 10), more.slice(10)], clock);
    const rows = await db
      .selectFrom("search_documents")
      .select(["body_text", "snippet_bits"])
      .where(
        "id",
        "in",
        more.map((d) => d.id),
      )
      .execute();
    assert.equal(rows.length, more.length);
    for (const r of rows)
      assert.deepEqual(storedSnippetBits(r.snippet_bits), storedSnippetBits(snippetBits(r.body_text)));
  });

  it("give the same results and snippets as documents indexed before they were stored", async () => {
    const { db } = get();
    const results = async () => {
      const out: unknown[] = [];
      for (const q of queries) out.push((await search(db, { q, limit: 10, offset: 0 }, clock)).results);
      return out;
    };
    const withBits = await results();
    assert.ok(withBits.some((r) => (r as unknown[]).length > 0));
    await sql`update search_documents set snippet_bits = null`.execute(db);
    assert.deepEqual(await results(), withBits);
  });
});
