// What a results page reads of each document (queries.ts, pageRows), on both databases.
import assert from "node:assert/strict";
import { before, it } from "node:test";
import { manualClock } from "../../src/db/clock.ts";
import { indexDocuments } from "../../src/search/indexer.ts";
import { pageRows } from "../../src/search/queries.ts";
import { search } from "../../src/search/search.ts";
import { SCAN_CHARS } from "../../src/search/snippet.ts";
import { onBothDatabases } from "../helpers/db.ts";
import { searchSource } from "../helpers/search.ts";

const clock = manualClock("2026-11-25T06:00:00Z");

onBothDatabases("results page rows", (get) => {
  // A long guide: the word at its start and again far past where a snippet stops reading.
  const body = `زعفران کی کاشت ${"کھیت میں پانی ".repeat(800)}زعفران آخر میں`;
  const guide = searchSource({ title: "کاشت کاری کی رہنمائی", kind: "guide", body_text: body });
  let key = 0;

  before(async () => {
    await get()
      .db.transaction()
      .execute((trx) => indexDocuments(trx, [guide], clock));
    const row = await get()
      .db.selectFrom("search_documents")
      .select("doc_key")
      .where("id", "=", guide.id)
      .executeTakeFirstOrThrow();
    key = Number(row.doc_key);
  });

  it("reads a body only as far as it is asked, and not at all unless asked", async () => {
    assert.ok(body.length > SCAN_CHARS + 1000, `a body of ${body.length} characters`);
    const cut = await pageRows(get().db, [key], { body: true, bodyChars: SCAN_CHARS });
    assert.equal(cut.get(key)?.body_text, body.slice(0, SCAN_CHARS));
    const none = await pageRows(get().db, [key], { body: false });
    assert.equal(none.get(key)?.body_text, undefined);
    assert.equal(none.get(key)?.title, "کاشت کاری کی رہنمائی");
  });

  it("a body up to the characters asked for comes whole, one past them is cut", async () => {
    const exact = searchSource({ title: "Exact", body_text: `${"a".repeat(99)}z` });
    const over = searchSource({ title: "Over", body_text: `${"b".repeat(100)}z` });
    const urdu = searchSource({ title: "Urdu", body_text: "پانی".repeat(30) });
    await get()
      .db.transaction()
      .execute((trx) => indexDocuments(trx, [exact, over, urdu], clock));
    const keys = await get()
      .db.selectFrom("search_documents")
      .select(["id", "doc_key"])
      .where("id", "in", [exact.id, over.id, urdu.id])
      .execute();
    const keyOf = (id: string) => Number(keys.find((k) => k.id === id)!.doc_key);
    const rows = await pageRows(get().db, [keyOf(exact.id), keyOf(over.id), keyOf(urdu.id)], {
      body: true,
      bodyChars: 100,
    });
    assert.equal(rows.get(keyOf(exact.id))?.body_text, `${"a".repeat(99)}z`);
    assert.equal(rows.get(keyOf(over.id))?.body_text, "b".repeat(100));
    // 120 characters in 240 bytes: more bytes than asked for, so cut by characters.
    assert.equal(rows.get(keyOf(urdu.id))?.body_text, "پانی".repeat(25));
  });

  it("a search's snippet comes from the part read", async () => {
    const out = await search(get().db, { q: "زعفران", limit: 10, offset: 0 }, clock);
    assert.deepEqual(
      out.results.map((r) => r.title),
      ["کاشت کاری کی رہنمائی"],
    );
    const shown = out.results[0]!.snippet;
    assert.ok(
      shown.some((s) => s.hit && s.text === "زعفران"),
      JSON.stringify(shown),
    );
    assert.ok(!shown.some((s) => s.text.includes("آخر")), "the end of the guide is not in it");
  });
});
