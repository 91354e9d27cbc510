import { sql, type Kysely } from "kysely";
import { isPostgres } from "../connect.ts";
import {
  RECENT_WINDOW_TABLES,
  recentWindowFunction,
  writeRecentWindowFunction,
} from "../../search/pgRecentWindow.ts";

/**
 * PostgreSQL: `*_recent_newest`, the functions that run windows at or above a recent index's
 * floor on a plan kept per connection (src/search/pgRecentWindow.ts). Created here handing every
 * window to the general `*_newest`; the recent indexes' check (pgRecent.ts) rewrites them for
 * each floor it builds or finds.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  if (!isPostgres(db)) return;
  for (const { table } of RECENT_WINDOW_TABLES) await writeRecentWindowFunction(db as never, table, null);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (!isPostgres(db)) return;
  for (const { table } of RECENT_WINDOW_TABLES) {
    await sql`drop function if exists ${sql.raw(recentWindowFunction(table))}(tsquery, integer, bigint,
      text, text, uuid, bigint, bigint)`.execute(db);
  }
}
