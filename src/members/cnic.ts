/**
 * The CNIC (computerised national identity card) number, and the B-form number children are
 * registered with, which has the same 13-digit pattern: five digits, seven digits, one digit,
 * shown as XXXXX-XXXXXXX-X.
 *
 * NADRA publishes no check digit, so only the pattern is checked: a number that passes may
 * still not exist. The last digit is conventionally odd for men and even for women; Rasai
 * never reads gender (or anything else) from the number: gender is only what a member says.
 */

export type CnicParse = { ok: true; digits: string } | { ok: false; code: "required" | "invalid_format" };

// ASCII, Extended Arabic-Indic (Urdu ۰–۹) and Arabic-Indic (٠–٩) digits.
const DIGIT_BASES = [0x30, 0x6f0, 0x660];
// Hyphen-minus and the dashes a phone keyboard or a pasted document may put in its place.
const DASHES = new Set(["-", "\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2212", "\ufe63", "\uff0d"]);
// Spaces, including no-break and thin spaces.
const SPACE = /[\s\u00a0\u2007\u202f]/;
// Direction marks and zero-width characters that come along when a number is copied out of
// right-to-left text; they are invisible, so they are dropped rather than refused.
const INVISIBLE = /[\u200b-\u200f\u2066-\u2069\u202a-\u202e\u061c\ufeff]/g;

function digitValue(ch: string): number | undefined {
  const cp = ch.codePointAt(0)!;
  for (const base of DIGIT_BASES) if (cp >= base && cp <= base + 9) return cp - base;
  return undefined;
}

/**
 * Reads a CNIC or B-form number as typed: with or without dashes, in Urdu or ASCII digits,
 * with spaces at the group boundaries. A dash may only stand where the card prints one
 * (after the 5th and the 12th digit); spaces likewise, so a slip of the fingers inside a group
 * is caught rather than silently joined.
 */
export function parseCnic(input: string): CnicParse {
  const text = input.replace(INVISIBLE, "").trim();
  if (text === "") return { ok: false, code: "required" };

  let digits = "";
  // Separators seen since the last digit: whether any, and how many dashes.
  let separated = false;
  let dashes = 0;
  for (const ch of text) {
    const d = digitValue(ch);
    if (d !== undefined) {
      if (separated && digits.length !== 5 && digits.length !== 12)
        return { ok: false, code: "invalid_format" };
      digits += String(d);
      separated = false;
      dashes = 0;
      continue;
    }
    if (DASHES.has(ch)) dashes++;
    else if (!SPACE.test(ch)) return { ok: false, code: "invalid_format" };
    if (dashes > 1) return { ok: false, code: "invalid_format" };
    separated = true;
  }
  // Trimmed text ends in a digit or a dash; a trailing dash is out of place.
  if (separated || digits.length !== 13) return { ok: false, code: "invalid_format" };
  return { ok: true, digits };
}

function checkDigits(digits: string): void {
  if (!/^\d{13}$/.test(digits))
    throw new Error("a CNIC must be 13 ASCII digits here: parse it with parseCnic");
}

/** "3520212345673" → "35202-1234567-3". */
export function formatCnic(digits: string): string {
  checkDigits(digits);
  return `${digits.slice(0, 5)}-${digits.slice(5, 12)}-${digits.slice(12)}`;
}

/** "3520212345673" → "35202-*******-3": the form every screen, card and export shows. */
export function maskCnic(digits: string): string {
  checkDigits(digits);
  return `${digits.slice(0, 5)}-*******-${digits.slice(12)}`;
}
