import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatCnic, maskCnic, parseCnic } from "../../src/members/cnic.ts";

const DIGITS = "3520212345673";

describe("parseCnic", () => {
  const accepted: [string, string][] = [
    ["with dashes", "35202-1234567-3"],
    ["without dashes", "3520212345673"],
    ["surrounding spaces", "  35202-1234567-3\t"],
    ["spaces for dashes", "35202 1234567 3"],
    ["spaces around dashes", "35202 - 1234567 - 3"],
    ["no-break spaces", "35202\u00a01234567\u00a03"],
    ["mixed spaces and one dash", "35202\u202f1234567-3"],
    ["only the first dash", "35202-12345673"],
    ["only the second dash", "352021234567-3"],
    ["Urdu digits", "۳۵۲۰۲-۱۲۳۴۵۶۷-۳"],
    ["Urdu digits, no dashes", "۳۵۲۰۲۱۲۳۴۵۶۷۳"],
    ["Arabic-Indic digits", "٣٥٢٠٢-١٢٣٤٥٦٧-٣"],
    ["digits of all three kinds mixed", "۳۵٢02-1۲٣4567-۳"],
    ["en dash and minus sign", "35202\u20131234567\u22123"],
    ["direction marks from pasted Urdu text", "\u200f35202-1234567-3\u200e"],
  ];
  for (const [name, input] of accepted) {
    it(`accepts ${name}`, () => assert.deepEqual(parseCnic(input), { ok: true, digits: DIGITS }));
  }

  const refused: [string, string, "required" | "invalid_format"][] = [
    ["empty", "", "required"],
    ["only spaces", "  \u00a0 ", "required"],
    ["12 digits", "35202-1234567", "invalid_format"],
    ["12 digits without dashes", "352021234567", "invalid_format"],
    ["14 digits", "35202-12345678-3", "invalid_format"],
    ["14 digits without dashes", "35202123456783", "invalid_format"],
    ["a letter", "35202-123456A-3", "invalid_format"],
    ["letters only", "abc", "invalid_format"],
    ["a prefix", "CNIC 35202-1234567-3", "invalid_format"],
    ["dash after the 4th digit", "3520-21234567-3", "invalid_format"],
    ["dash after the 6th digit", "352021-234567-3", "invalid_format"],
    ["dashes in a phone-number pattern", "3520-2123-4567-3", "invalid_format"],
    ["two dashes together", "35202--1234567-3", "invalid_format"],
    ["a leading dash", "-35202-1234567-3", "invalid_format"],
    ["a trailing dash", "35202-1234567-3-", "invalid_format"],
    ["a space inside a group", "3520 21234567 3", "invalid_format"],
    ["a dot", "35202.1234567.3", "invalid_format"],
    ["a plus sign", "+3520212345673", "invalid_format"],
  ];
  for (const [name, input, code] of refused) {
    it(`refuses ${name}`, () => assert.deepEqual(parseCnic(input), { ok: false, code }));
  }

  it("reads a B-form number the same way (same pattern)", () => {
    assert.deepEqual(parseCnic("61101-7654321-8"), { ok: true, digits: "6110176543218" });
  });
});

describe("formatCnic and maskCnic", () => {
  it("formats as XXXXX-XXXXXXX-X", () => assert.equal(formatCnic(DIGITS), "35202-1234567-3"));
  it("masks the seven middle digits", () => assert.equal(maskCnic(DIGITS), "35202-*******-3"));
  it("masks what it parsed from Urdu digits", () => {
    const parsed = parseCnic("۳۵۲۰۲-۱۲۳۴۵۶۷-۳");
    assert.ok(parsed.ok);
    assert.equal(maskCnic(parsed.digits), "35202-*******-3");
  });
  it("refuses anything but 13 ASCII digits", () => {
    for (const bad of ["35202-1234567-3", "352021234567", "۳۵۲۰۲۱۲۳۴۵۶۷۳"]) {
      assert.throws(() => formatCnic(bad));
      assert.throws(() => maskCnic(bad));
    }
  });
});
