import { sql, type Kysely } from "kysely";
import { isPostgres } from "../connect.ts";
import { createNewestFunctions, TABLES } from "./0008_search_vectors_narrow.ts";

/**
 * PostgreSQL: the *_newest functions (0008) plan their GIN match once instead of on every call.
 *
 * Why: planning a match reads the column's most-common-lexeme list (3,400–3,800 lexemes at
 * statistics target 500) to estimate how many rows each term finds: ~1 ms per statement at 100k
 * documents, as much as running a rare word's match. Without a window the only plan open to the
 * function is GIN's bitmap, sorted (sequential and plain index scans are off), so the estimate
 * changes nothing: that branch is now plain SQL in the function, and its plan is kept for the
 * connection (plan_cache_mode = force_generic_plan: parameters, no estimate). The window branch
 * stays planned per call: there the planner's estimate is what lets it AND GIN's bitmap with the
 * primary key's range, which a kept plan cannot know to do (tried: common words 4.9 → 8.0 ms).
 *
 * Measured at 100k documents (search(), queries interleaved with the old functions, 300 each, p50
 * ms): rare words 3.53 → 3.15, fuzzy 8.87 → 8.37, 2 words 8.69 → 8.35, 4 words 9.61 → 9.79.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  if (!isPostgres(db)) return;
  for (const { table, column } of TABLES) {
    const t = sql.raw(table);
    const c = sql.raw(column);
    await sql`create or replace function ${sql.raw(`${table}_newest`)}(
      q tsquery, lim integer, window_rows integer, window_start bigint, want_kind text,
      want_lang text, want_centre uuid, min_key bigint, max_key bigint)
    returns table (doc_key bigint)
    language plpgsql stable rows 100
    set enable_seqscan = off
    set enable_indexscan = off
    set plan_cache_mode = force_generic_plan
    as $$
    declare
      cond text := '';
      window_key bigint := window_start;
      keys bigint[];
    begin
      if window_key is null and window_rows is not null then
        -- The newest window_rows documents first: GIN's matches and-ed with that range of keys.
        -- Its lowest key comes from the primary key alone (an index-only scan, which
        -- enable_indexscan also governs: on for this one look-up).
        perform set_config('enable_indexscan', 'on', true);
        if max_key is null then
          select v.doc_key into window_key from ${t} v
            order by v.doc_key desc offset window_rows limit 1;
        else
          select v.doc_key into window_key from ${t} v where v.doc_key <= max_key
            order by v.doc_key desc offset window_rows limit 1;
        end if;
        perform set_config('enable_indexscan', 'off', true);
      end if;
      if window_key is not null and (min_key is null or window_key > min_key) then
        if want_kind is not null then cond := cond || format(' and v.kind = %L', want_kind); end if;
        if want_lang is not null then cond := cond || format(' and v.lang = %L', want_lang); end if;
        if want_centre is not null then cond := cond || format(' and v.centre_id = %L', want_centre); end if;
        -- "+ 0": the bounds filter GIN's matches. As an index range they would let the planner
        -- test every vector in the range instead, fetching each from TOAST.
        if min_key is not null then cond := cond || format(' and v.doc_key + 0 >= %s', min_key); end if;
        if max_key is not null then cond := cond || format(' and v.doc_key + 0 <= %s', max_key); end if;
        execute format('select array(select v.doc_key from ${t} v
            where v.${c} @@ %L::tsquery and v.doc_key >= %s%s
            order by v.doc_key + 0 desc limit %s)', q, window_key, cond, lim)
          into keys;
        if cardinality(keys) >= lim then
          return query select unnest(keys);
          return;
        end if;
      end if;
      return query select v.doc_key from ${t} v
        where v.${c} @@ q
          and (want_kind is null or v.kind = want_kind)
          and (want_lang is null or v.lang = want_lang)
          and (want_centre is null or v.centre_id = want_centre)
          and (min_key is null or v.doc_key + 0 >= min_key)
          and (max_key is null or v.doc_key + 0 <= max_key)
        order by v.doc_key + 0 desc limit lim;
    end
    $$`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (!isPostgres(db)) return;
  await createNewestFunctions(db);
}
