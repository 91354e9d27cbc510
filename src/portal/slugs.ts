import crypto from "node:crypto";

// Crockford base32 without look-alikes: short ids read aloud over a phone stay unambiguous.
const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";

/** A short, random article id: 7 characters = 35 bits, unique across centres by its index. */
export function newShortId(): string {
  const bytes = crypto.randomBytes(7);
  return Array.from(bytes, (b) => ALPHABET[b & 31]).join("");
}

/** A readable slug that keeps Urdu in its own script: letters and digits of any script, joined by dashes. */
export function slugify(title: string): string {
  return title
    .normalize("NFC")
    .toLowerCase()
    .replace(/[\u064B-\u065F\u0670\u06D6-\u06ED\u0640]/g, "")
    .replace(/[^\p{L}\p{N}\p{M}]+/gu, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 80)
    .replace(/-+$/g, "");
}
