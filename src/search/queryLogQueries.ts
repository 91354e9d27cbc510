// The query log's table (search_queries): one row per search, and what the editors' page sums up.
// Kept apart from queries.ts, which holds the search index's own tables.

import type { Executor } from "../db/connect.ts";
import type { SearchQueryTable } from "../db/schema.ts";

export async function insertQueryLog(db: Executor, row: SearchQueryTable): Promise<void> {
  await db.insertInto("search_queries").values(row).execute();
}

export interface QueryLogEntry {
  query: string;
  searches: number;
  hits: number;
  last: string;
}

/** Queries since `since`, most searched first; zeroOnly: only those that found nothing. */
export async function summariseQueryLog(
  db: Executor,
  f: { since: string; centreId: string | null; zeroOnly: boolean; limit: number },
): Promise<QueryLogEntry[]> {
  let q = db
    .selectFrom("search_queries")
    .select((eb) => [
      "query",
      eb.fn.countAll<number>().as("searches"),
      eb.fn.max<number>("hits").as("hits"),
      eb.fn.max<string>("created_at").as("last"),
    ])
    .where("created_at", ">=", f.since)
    .where("deleted_at", "is", null);
  if (f.centreId) q = q.where("centre_id", "=", f.centreId);
  let grouped = q.groupBy("query");
  if (f.zeroOnly) grouped = grouped.having((eb) => eb.fn.max("hits"), "=", 0);
  const rows = await grouped
    .orderBy("searches", "desc")
    .orderBy("last", "desc")
    .orderBy("query")
    .limit(f.limit)
    .execute();
  return rows.map((r) => ({
    query: r.query,
    searches: Number(r.searches),
    hits: Number(r.hits),
    last: r.last,
  }));
}
