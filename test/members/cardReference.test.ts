import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { signMemberRef, verifyMemberRef } from "../../src/members/card/reference.ts";

const SECRET = "test-secret-for-member-cards-0123456789abcdef";
const OTHER = "another-secret-for-member-cards-0123456789ab";

describe("signed member references", () => {
  it("round-trips member number and card serial", () => {
    const ref = signMemberRef(SECRET, "ISB01-000123", 2);
    assert.match(ref, /^ISB01-000123\.2\.[A-Z2-7]{10}$/);
    assert.deepEqual(verifyMemberRef(SECRET, ref), { memberNo: "ISB01-000123", serial: 2 });
    assert.equal(signMemberRef(SECRET, "ISB01-000123", 2), ref, "deterministic");
    assert.deepEqual(verifyMemberRef(SECRET, signMemberRef(SECRET, "LHR-01-000001", 0)), {
      memberNo: "LHR-01-000001",
      serial: 0,
    });
  });

  it("is short printable ASCII that Code 128 and QR alphanumeric mode carry", () => {
    const ref = signMemberRef(SECRET, "ISB01-000123", 17);
    assert.match(ref, /^[0-9A-Z.-]+$/);
    assert.ok(ref.length <= 32, ref);
  });

  it("rejects a changed member number, serial or mac", () => {
    const ref = signMemberRef(SECRET, "ISB01-000123", 2);
    const [no, serial, mac] = ref.split(".") as [string, string, string];
    assert.equal(verifyMemberRef(SECRET, `ISB01-000124.${serial}.${mac}`), null);
    assert.equal(verifyMemberRef(SECRET, `${no}.3.${mac}`), null);
    assert.equal(verifyMemberRef(SECRET, `${no}.1.${mac}`), null, "an older serial with the new mac");
    assert.equal(verifyMemberRef(SECRET, `${no}.02.${mac}`), null, "leading zero");
    const flipped = mac.slice(0, 9) + (mac[9] === "A" ? "B" : "A");
    assert.equal(verifyMemberRef(SECRET, `${no}.${serial}.${flipped}`), null);
    assert.equal(verifyMemberRef(SECRET, `${no}.${serial}.${mac.slice(0, 9)}`), null, "short mac");
    assert.equal(verifyMemberRef(SECRET, `${no}.${serial}.${mac}A`), null, "long mac");
    for (const bad of [
      "",
      ".",
      `${no}.${serial}`,
      `${no}..${mac}`,
      `${no}.-1.${mac}`,
      `${no} .${serial}.${mac}`,
    ]) {
      assert.equal(verifyMemberRef(SECRET, bad), null, JSON.stringify(bad));
    }
  });

  it("rejects a reference signed with another secret", () => {
    const ref = signMemberRef(OTHER, "ISB01-000123", 2);
    assert.equal(verifyMemberRef(SECRET, ref), null);
    assert.equal(verifyMemberRef("", signMemberRef(SECRET, "ISB01-000123", 2)), null);
  });

  it("accepts what a keyboard-wedge scanner types: lower case, Caps Lock, surrounding whitespace", () => {
    const ref = signMemberRef(SECRET, "ISB01-000123", 2);
    const expected = { memberNo: "ISB01-000123", serial: 2 };
    assert.deepEqual(verifyMemberRef(SECRET, ref.toLowerCase()), expected);
    assert.deepEqual(verifyMemberRef(SECRET, `  ${ref}\r\n`), expected);
    assert.deepEqual(verifyMemberRef(SECRET, `\t${ref.toLowerCase()} `), expected);
  });

  it("never carries a 13-digit run (a CNIC or B-form number)", () => {
    for (let serial = 0; serial < 200; serial++) {
      const ref = signMemberRef(SECRET, `ISB01-${String(serial * 7919).padStart(6, "0")}`, serial);
      assert.doesNotMatch(ref, /[0-9]{13}/, ref);
    }
    assert.throws(() => signMemberRef(SECRET, "3520212345673", 1), /not a member number/);
    assert.throws(() => signMemberRef(SECRET, "X-3520212345673", 1), /not a member number/);
  });

  it("refuses what it cannot sign", () => {
    assert.throws(() => signMemberRef(SECRET, "isb01.000123", 1), /not a member number/);
    assert.throws(() => signMemberRef(SECRET, "ISB01-000123", -1), /card serial/);
    assert.throws(() => signMemberRef(SECRET, "ISB01-000123", 1.5), /card serial/);
    assert.throws(() => signMemberRef("", "ISB01-000123", 1), /secret/);
  });
});
