import assert from "node:assert/strict";
import { before, it } from "node:test";
import { manualClock } from "../../src/db/clock.ts";
import { indexDocuments } from "../../src/search/indexer.ts";
import { search } from "../../src/search/search.ts";
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
