import { sql, type Kysely } from "kysely";
import { isPostgres } from "../connect.ts";

/**
 * PostgreSQL: the all-terms vector stays in its row (storage main, compressed), as the
 * title-and-strap vector already does. About half the vectors passed PostgreSQL's 2 KB threshold
 * and went to TOAST, and every test of one (a walk down the newest documents, or a GIN match's
 * recheck) then read the TOAST index and its chunks. Measured at 100k documents: a walk down
 * 3,672 rows 11.2 → 5.5 ms. The table holds about the same bytes either way (206 MB in the heap,
 * against 85 MB of heap and ~200 MB of TOAST).
 * SQLite: nothing to do.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  if (!isPostgres(db)) return;
  await setStorage(db, "main");
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (!isPostgres(db)) return;
  await setStorage(db, "extended");
}

async function setStorage(db: Kysely<unknown>, storage: "main" | "extended"): Promise<void> {
  await sql`alter table search_vectors alter column vec set storage ${sql.raw(storage)}`.execute(db);
  // The storage of a column only applies to values written after it is set: write each again.
  // Concatenating an empty vector makes a new value, which the toaster places afresh.
  await sql`update search_vectors set vec = vec || ''::tsvector`.execute(db);
}
