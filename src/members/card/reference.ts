/**
 * The signed member reference carried by a member card's QR code and Code 128 barcode.
 *
 *   ISB01-000123.2.K7Q2M4ZB3X
 *   └ member no ┘ │ └ mac ──┘
 *                 └ card serial
 *
 * The mac is the first 50 bits of HMAC-SHA256(secret, "member-card:<member no>.<serial>") in RFC 4648
 * base32. Everything is upper-case letters, digits, "-" and ".": Code 128 encodes it compactly, QR
 * encodes it in its alphanumeric mode, and a USB barcode scanner (which types like a keyboard) cannot
 * be confused by the layout of the desk's keyboard. The CNIC never goes into a reference.
 *
 * A valid mac proves the server issued this reference, not that the card is still good: revocation
 * is the caller's job. After verifyMemberRef, look the member up by member number and accept the card
 * only when `serial` equals the member's current `card_serial` (a reprint or a lost card raises
 * card_serial, which revokes every older card) and the member is not erased.
 */
import crypto from "node:crypto";

const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const MAC_CHARS = 10;
/** Upper-case letters, digits and inner hyphens; no dots (they separate the parts). */
const MEMBER_NO = /^[A-Z0-9](?:[A-Z0-9-]{0,30}[A-Z0-9])?$/;
const REF = /^([A-Z0-9](?:[A-Z0-9-]{0,30}[A-Z0-9])?)\.(0|[1-9][0-9]{0,8})\.([A-Z2-7]{10})$/;
/** A CNIC or B-form number is 13 digits: a reference must never contain such a run. */
const CNIC_LIKE = /[0-9]{13}/;

function base32(bytes: Buffer, chars: number): string {
  let out = "";
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5 && out.length < chars) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
    if (out.length >= chars) break;
  }
  return out;
}

function mac(secret: string, memberNo: string, serial: number): string {
  const digest = crypto
    .createHmac("sha256", secret)
    .update(`member-card:${memberNo}.${serial}`, "utf8")
    .digest();
  return base32(digest, MAC_CHARS);
}

/** The reference for card `serial` of member `memberNo`, e.g. "ISB01-000123.2.K7Q2M4ZB3X". */
export function signMemberRef(secret: string, memberNo: string, serial: number): string {
  if (!secret) throw new Error("signMemberRef: the secret is empty");
  if (!MEMBER_NO.test(memberNo) || CNIC_LIKE.test(memberNo)) {
    throw new Error(`signMemberRef: "${memberNo}" is not a member number (A–Z, 0–9 and inner hyphens)`);
  }
  if (!Number.isSafeInteger(serial) || serial < 0 || serial > 999_999_999) {
    throw new Error(`signMemberRef: card serial ${serial} is not a whole number from 0 to 999999999`);
  }
  return `${memberNo}.${serial}.${mac(secret, memberNo, serial)}`;
}

/**
 * The member number and card serial in a reference, or null when it is malformed or its mac is not
 * ours. Surrounding whitespace (a scanner's Enter or Tab) is ignored and case does not matter (Caps
 * Lock on the desk's keyboard inverts what a scanner types). The caller must still compare `serial`
 * with the member's current card_serial: older cards are revoked.
 */
export function verifyMemberRef(secret: string, ref: string): { memberNo: string; serial: number } | null {
  if (!secret || typeof ref !== "string" || ref.length > 64) return null;
  const match = REF.exec(ref.trim().toUpperCase());
  if (!match) return null;
  const memberNo = match[1]!;
  const serial = Number(match[2]);
  const given = Buffer.from(match[3]!, "ascii");
  const expected = Buffer.from(mac(secret, memberNo, serial), "ascii");
  if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) return null;
  return { memberNo, serial };
}
