import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { manualClock } from "../../src/db/clock.ts";
import { indexDocuments } from "../../src/search/indexer.ts";
import { pageFromHead, search } from "../../src/search/search.ts";
import { planQuery } from "../../src/search/plan.ts";
import type { CandidateRow } from "../../src/search/queries.ts";
import { onBothDatabases } from "../helpers/db.ts";
import { searchSource } from "../helpers/search.ts";

const clock = manualClock("2026-11-25T06:00:00Z");

onBothDatabases("search ranking", (get) => {
  const titles = async (q: string, extra: { kind?: string } = {}) =>
    (await search(get().db, { q, limit: 10, offset: 0, ...extra }, clock)).results.map((r) => r.title);

  before(async () => {
    await get()
      .db.transaction()
      .execute((trx) =>
        indexDocuments(
          trx,
          [
            searchSource({
              title: "باغبانی کے اوزار",
              body_text: "کھاد اور بیج",
              published_at: "2026-05-01T00:00:00.000Z",
            }),
            searchSource({ title: "موسم کی خبریں", strap: "کھاد کی قیمتیں بڑھ گئیں" }),
            searchSource({
              title: "کھاد کی فراہمی",
              body_text: "کسانوں کے لیے",
              published_at: "2025-01-01T00:00:00.000Z",
            }),
            searchSource({
              title: "پرانا اعلان",
              body_text: "تربیت",
              published_at: "2026-01-01T00:00:00.000Z",
            }),
            searchSource({
              title: "نیا اعلان",
              body_text: "تربیت",
              published_at: "2026-02-01T00:00:00.000Z",
            }),
            searchSource({
              title: "تربیت کا اعلان جو ختم ہو گیا",
              kind: "notice",
              expires_at: "2026-10-01T00:00:00.000Z",
            }),
            searchSource({
              title: "تربیت کا جاری اعلان",
              kind: "notice",
              expires_at: "2027-10-01T00:00:00.000Z",
            }),
            searchSource({ title: "موبائل بینکاری سہولت", published_at: "2025-03-01T00:00:00.000Z" }),
            searchSource({
              title: "موبائل فون",
              strap: "بینکاری اب آسان",
              published_at: "2026-03-01T00:00:00.000Z",
            }),
            searchSource({ title: "بینکاری", body_text: "موبائل", published_at: "2026-09-01T00:00:00.000Z" }),
            searchSource({
              title: "computer lab",
              strap: "کمپیوٹر لیب",
              published_at: "2026-04-01T00:00:00.000Z",
            }),
            searchSource({ title: "نئی لیب", strap: "کمپیوٹر", published_at: "2026-04-02T00:00:00.000Z" }),
            // A word only in the body, so both documents are found by the whole-text index alone.
            searchSource({
              title: "داخلہ بند",
              kind: "notice",
              body_text: "وظائف",
              published_at: "2026-08-01T00:00:00.000Z",
              expires_at: "2026-10-01T00:00:00.000Z",
            }),
            searchSource({ title: "طلبہ", body_text: "وظائف", published_at: "2026-07-01T00:00:00.000Z" }),
          ],
          clock,
        ),
      );
  });

  it("a word in the title outranks the strap, which outranks the body, whatever the dates", async () => {
    assert.deepEqual(await titles("کھاد"), ["کھاد کی فراہمی", "موسم کی خبریں", "باغبانی کے اوزار"]);
  });

  it("each word counts where it is: all in the title, then title and strap, then title and body", async () => {
    assert.deepEqual(await titles("موبائل بینکاری"), ["موبائل بینکاری سہولت", "موبائل فون", "بینکاری"]);
    // The same the other way round: each word's place is its own, whatever its order in the query.
    assert.deepEqual(await titles("بینکاری موبائل"), ["موبائل بینکاری سہولت", "موبائل فون", "بینکاری"]);
  });

  it("a word as written in the strap counts more than its sound in the title", async () => {
    // "computer" in the title is کمپیوٹر by sound only (3 × 0.6); the exact word in the strap (2)
    // counts more, so the two documents tie and the newer comes first.
    assert.deepEqual(await titles("کمپیوٹر"), ["نئی لیب", "computer lab"]);
  });

  it("newer wins a tie", async () => {
    const found = await titles("تربیت", { kind: "news" });
    assert.deepEqual(found, ["نیا اعلان", "پرانا اعلان"]);
  });

  it("a notice past its expiry sinks below the others", async () => {
    const found = await titles("تربیت");
    assert.equal(found.at(-1), "تربیت کا اعلان جو ختم ہو گیا");
    assert.equal(found[0], "تربیت کا جاری اعلان");
  });

  it("one word, page by page: the same order and total whether or not the title matches decide the page", async () => {
    // With one word, a page whose documents all score above a body-only match is read as soon as
    // the title-and-strap list is in (search.ts, pageFromHead); the expired notice (0.3) is not,
    // and its page must come from everything ranked: the two body matches (0.7) go before it.
    const pages = [];
    for (let offset = 0; offset < 5; offset++) {
      const out = await search(get().db, { q: "تربیت", limit: 1, offset }, clock);
      pages.push([out.total, ...out.results.map((r) => r.title)]);
    }
    assert.deepEqual(pages, [
      [4, "تربیت کا جاری اعلان"],
      [4, "نیا اعلان"],
      [4, "پرانا اعلان"],
      [4, "تربیت کا اعلان جو ختم ہو گیا"],
      [4],
    ]);
    const two = await search(get().db, { q: "تربیت", limit: 2, offset: 0 }, clock);
    assert.deepEqual(
      two.results.map((r) => [r.title, r.score]),
      [
        ["تربیت کا جاری اعلان", 3],
        ["نیا اعلان", 0.7],
      ],
    );
  });

  it("a notice past its expiry sinks when the word is only in its body too", async () => {
    assert.deepEqual(await titles("وظائف"), ["طلبہ", "داخلہ بند"]);
  });

  it("a query of only very common words still answers, newest first", async () => {
    // کے and کی share a loose form (word-final ے/ی), so both count.
    assert.deepEqual(await titles("کے"), ["موسم کی خبریں", "باغبانی کے اوزار", "کھاد کی فراہمی"]);
  });

  it("common words are dropped beside a real one, so they cannot hide it", async () => {
    assert.deepEqual(await titles("کی فراہمی"), ["کھاد کی فراہمی"]);
  });
});

describe("the page from the title-and-strap list alone (pageFromHead)", () => {
  const now = "2026-11-25T06:00:00.000Z";
  const input = (offset: number, limit: number) => ({ q: "", offset, limit });
  // Rows as the head list gives them: one character of place per alternative (exact, phonetic).
  const row = (key: number, places: string, kind = "news", expires: string | null = null): CandidateRow => ({
    doc_key: key,
    kind,
    expires_at: expires,
    places,
  });
  const head = [row(5, "22"), row(4, "11"), row(3, "02"), row(2, "22", "notice", "2026-01-01T00:00:00.000Z")];
  const keys = (page: readonly { row: CandidateRow }[] | null) =>
    page?.map((r) => Number(r.row.doc_key)) ?? null;
  const word = planQuery("تربیت");

  it("one word, every score on the page above a body-only match: that page, ranked", () => {
    assert.equal(word.groups.length, 1);
    // Title (3), strap (2), the sound in the title (3 × 0.6 = 1.8): all above 0.7.
    assert.deepEqual(keys(pageFromHead(head, word, now, input(0, 3))), [5, 4, 3]);
    assert.deepEqual(keys(pageFromHead(head, word, now, input(1, 2))), [4, 3]);
  });

  it("not when a score on the page may tie or lose with a body-only match, or the list is too short", () => {
    // The expired notice scores 0.3: body-only documents (0.7) may come before it.
    assert.equal(pageFromHead(head, word, now, input(3, 1)), null);
    assert.equal(pageFromHead([row(5, "00")], word, now, input(0, 1)), null, "0.7, a tie");
    assert.equal(pageFromHead(head, word, now, input(0, 10)), null, "four rows for a page of ten");
  });

  it("several words, every score on the page above what a document outside the list can score", () => {
    // Two words (exact, phonetic each): outside the head list a document has one of them in its
    // body only, so 3 (the other in the title) + 0.7 at most.
    const two = planQuery("تربیت اعلان");
    assert.equal(two.groups.length, 2);
    const rows = [row(5, "2020"), row(4, "1010"), row(3, "0202"), row(2, "0101")];
    // Both in the title: 3 + 3 + 1; both in the strap: 2 + 2; both sounds in the title: 1.8 + 1.8 + 1.
    assert.deepEqual(keys(pageFromHead(rows, two, now, input(0, 3))), [5, 3, 4]);
    // Both sounds in the strap: 1.2 + 1.2, below 3.7.
    assert.equal(pageFromHead(rows, two, now, input(0, 4)), null);
    // A score equal to the bound (the first word in the title, the second only in the body) may tie.
    assert.equal(pageFromHead([row(5, "2000")], two, now, input(0, 1)), null, "3.7, a tie");
  });

  it("not for only very common words", () => {
    const common = planQuery("کے");
    assert.ok(common.onlyStopWords);
    assert.equal(pageFromHead(head, common, now, input(0, 1)), null);
  });
});
