import { sql } from "kysely";
import type { Db } from "../../src/db/connect.ts";

/**
 * Pending-list pages of the vector tables' GIN indexes (`search_vectors_vec` and the like), by
 * index name, from pgstattuple's pgstatginindex. The extension lives in `public` for the whole
 * test database: test files run side by side, each in its own schema, and one created in a
 * test's schema would be dropped with it under another's feet.
 */
export async function ginPendingPages(db: Db): Promise<Map<string, number>> {
  try {
    await sql`create extension if not exists pgstattuple schema public`.execute(db);
  } catch (error) {
    // Two files creating it at once: the loser's "already exists" is as good as its own.
    if (!/already exists|duplicate key/.test((error as Error).message)) throw error;
  }
  const r = await sql<{ index: string; pages: number }>`select c.relname as index,
      (public.pgstatginindex(i.indexrelid)).pending_pages as pages
    from pg_index i join pg_class c on c.oid = i.indexrelid join pg_am a on a.oid = c.relam
    where a.amname = 'gin'
      and i.indrelid in ('search_vectors'::regclass, 'search_head_vectors'::regclass)`.execute(db);
  return new Map(r.rows.map((row) => [row.index, Number(row.pages)]));
}
