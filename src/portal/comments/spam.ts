/**
 * Spam defences that need no third party. Each returns a reason or null; a comment with a
 * reason is stored as spam (so an editor can still rescue it), never shown.
 */
export const COMMENT_LIMITS = {
  maxLength: 3000,
  maxNameLength: 80,
  maxLinks: 2,
  /** A person needs at least this long to read and write; bots post at once. */
  minFillSeconds: 3,
  /** Comments per address per window before further ones are refused outright. */
  perAddress: 5,
  perAddressWindowMs: 10 * 60 * 1000,
};

export function countLinks(text: string): number {
  return (text.match(/(https?:\/\/|www\.)/gi) ?? []).length;
}

export function spamReason(input: { honeypot: string; body: string; fillSeconds: number }): string | null {
  if (input.honeypot.trim() !== "") return "honeypot";
  if (input.fillSeconds < COMMENT_LIMITS.minFillSeconds) return "too_fast";
  if (countLinks(input.body) > COMMENT_LIMITS.maxLinks) return "too_many_links";
  return null;
}

/** The same words in the same order, whatever the spacing and case: for duplicate detection. */
export function normaliseForDuplicate(text: string): string {
  return text.normalize("NFC").toLowerCase().replace(/\s+/g, " ").trim();
}
