import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { FlatWordSlots, KeptMap, wordHash } from "../../src/search/keptMap.ts";

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

  it("forgets everything when cleared", () => {
    const m = new KeptMap<number>(2);
    for (const [i, k] of ["a", "b", "c"].entries()) m.set(k, i);
    m.clear();
    assert.deepEqual(
      ["a", "b", "c"].map((k) => m.get(k)),
      [undefined, undefined, undefined],
    );
  });
});

describe("FlatWordSlots", () => {
  it("forgets every word when cleared", () => {
    const slots = new FlatWordSlots<string>(4);
    for (const w of ["ab", "کم"]) slots.set(w, 0, w.length, wordHash(w), 1, w);
    slots.clear();
    for (const w of ["ab", "کم"]) assert.equal(slots.slotOf(w, 0, w.length, wordHash(w)), -1);
  });

  it("finds a word by where it is in a text, with its tag and value", () => {
    const slots = new FlatWordSlots<string>(4);
    const text = "نیا کمپیوٹر";
    slots.set(text, 4, text.length, wordHash("کمپیوٹر"), 0b101, "computer");
    const slot = slots.slotOf(" کمپیوٹر ", 1, 8, wordHash("کمپیوٹر"));
    assert.ok(slot >= 0);
    assert.equal(slots.tag(slot), 0b101);
    assert.equal(slots.value(slot), "computer");
    assert.equal(slots.slotOf(text, 0, 3, wordHash("نیا")), -1);
  });

  it("never answers for another word that shares its slot", () => {
    const slots = new FlatWordSlots<string>(1); // two slots: every other word collides
    const words = ["ab", "ba", "abc", "xy", "yx", "کم", "مک"];
    for (const w of words) slots.set(w, 0, w.length, wordHash(w), w.length, w);
    for (const w of words) {
      const slot = slots.slotOf(` ${w} `, 1, 1 + w.length, wordHash(w));
      assert.ok(slot < 0 || slots.value(slot) === w, `${w} answered as ${slot < 0 ? "" : slots.value(slot)}`);
    }
    const last = slots.slotOf(" مک ", 1, 3, wordHash("مک"));
    assert.equal(slots.value(last), "مک", "the last word set into its slot is still found");
  });

  it("does not keep a word longer than a slot holds, nor take its place", () => {
    const slots = new FlatWordSlots<string>(2);
    const long = "a".repeat(FlatWordSlots.SLOT_UNITS + 1);
    slots.set(long, 0, long.length, wordHash(long), 1, "long");
    assert.equal(slots.slotOf(long, 0, long.length, wordHash(long)), -1);
    const fits = "a".repeat(FlatWordSlots.SLOT_UNITS);
    slots.set(fits, 0, fits.length, wordHash(fits), 2, "fits");
    assert.equal(slots.value(slots.slotOf(fits, 0, fits.length, wordHash(fits))), "fits");
  });
});
