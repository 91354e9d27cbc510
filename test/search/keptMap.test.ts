import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { KeptMap, wordHash, WordSlots } from "../../src/search/keptMap.ts";

describe("KeptMap", () => {
  it("keeps what is used and drops what is not, a generation at a time", () => {
    const m = new KeptMap<number>(2);
    m.set("a", 1);
    m.set("b", 2);
    m.set("c", 3); // a, b become the old generation
    assert.equal(m.get("a"), 1); // used: back into the young one (c, a)
    m.set("d", 4); // young full: (c, a) old, b dropped
    assert.equal(m.get("b"), undefined);
    assert.equal(m.get("a"), 1);
    assert.equal(m.get("c"), 3);
  });
});

describe("WordSlots", () => {
  it("finds a word by where it is in a text, without cutting it out", () => {
    const slots = new WordSlots<string>(4);
    slots.set("کمپیوٹر", wordHash("کمپیوٹر"), "computer");
    const text = "نیا کمپیوٹر";
    assert.equal(slots.get(text, 4, text.length, wordHash("کمپیوٹر")), "computer");
    assert.equal(slots.get(text, 0, 3, wordHash("نیا")), undefined);
  });

  it("never answers for another word that shares its slot", () => {
    const slots = new WordSlots<string>(1); // two slots: every other word collides
    const words = ["ab", "ba", "abc", "xy", "yx", "کم", "مک"];
    for (const w of words) slots.set(w, wordHash(w), w);
    for (const w of words) {
      const text = ` ${w} `;
      const got = slots.get(text, 1, 1 + w.length, wordHash(w));
      assert.ok(got === undefined || got === w, `${w} answered as ${got}`);
    }
    // The last word set into each slot is still found.
    assert.equal(slots.get(" مک ", 1, 3, wordHash("مک")), "مک");
  });
});
