// Small pieces the search module's statements share (queries.ts, vocabulary.ts).

import { sql } from "kysely";
import { PREPARED_MARK } from "../db/connect.ts";

/** Keeps a statement prepared on PostgreSQL (see db/connect.ts); a plain comment on SQLite. */
export const prepared = sql.raw(`${PREPARED_MARK} `);

/** The items in runs of at most `size`, in order. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
