// Small pieces the search module's statements share (queries.ts, vocabulary.ts).

import { sql, type RawBuilder } from "kysely";
import { PREPARED_MARK } from "../db/connect.ts";

/** Keeps a statement prepared on PostgreSQL (see db/connect.ts); a plain comment on SQLite. */
export const prepared = sql.raw(`${PREPARED_MARK} `);

/** The items in runs of at most `size`, in order. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Words as a PostgreSQL text[] parameter. Search's words have no space (they are single normalised
 * words), so they travel as one string joined by spaces and split by the server: quoting each
 * word into an array literal and parsing it cost more (a typo's ~600 look-ups: 0.6 ms; 518k
 * counted words: 1.9 → 1.7 s). A word with a space, were there one, sends them as an array
 * literal; so does "" (string_to_array makes no element of an empty string).
 */
export function wordArray(words: readonly string[]): RawBuilder<string[]> {
  return words.some((w) => w === "" || w.includes(" "))
    ? sql<string[]>`${words}::text[]`
    : sql<string[]>`string_to_array(${words.join(" ")}::text, ' ')`;
}
