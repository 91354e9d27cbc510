import { sql, type Kysely } from "kysely";
import { isPostgres } from "../connect.ts";

/** The vector tables and their tsvector columns (0010 replaces the same functions). */
export const TABLES = [
  { table: "search_vectors", column: "vec" },
  { table: "search_head_vectors", column: "head_vec" },
] as const;

/**
 * PostgreSQL: every vector moves out of its row, so the vector tables' heaps hold ~90 bytes a
 * row (9 MB at 100k documents instead of 206 MB and 42 MB) and stay in shared buffers.
 *
 * Why: a GIN match is a bitmap of row addresses; PostgreSQL then visits each matching row only
 * to read its doc_key (the vector itself is not read again: GIN's tsvector matches need no
 * recheck). With the ~2 KB vector in the row that was a page per match — a word in 5% of 100k
 * documents cost 6 ms warm and 22 ms cold; with narrow rows it costs 1.9 ms. A walk down the
 * newest documents now fetches each vector from TOAST (~2 µs a row instead of ~0.7), which
 * pgMatch.ts's costs account for.
 *
 * How: PostgreSQL moves a value out of line only when its row passes ~2 KB
 * (TOAST_TUPLE_THRESHOLD, fixed when PostgreSQL is compiled); toast_tuple_target only applies
 * past that, and about half the vectors (and no title-and-strap vector) are smaller. Each row
 * therefore carries a 2 KB pad of spaces by default, which pushes it past the threshold; the
 * toaster then compresses the pad to ~20 bytes and, to bring the row under toast_tuple_target,
 * stores the vector out of line. Vectors are stored uncompressed (storage external): lexeme
 * lists barely compress (1,963 → 1,931 bytes on average) and a walk would pay to decompress.
 *
 * The tables are copied rather than altered in place: an UPDATE would write every GIN entry
 * again, while building GIN after the copy is one sorted pass.
 *
 * A small heap misleads the planner, though: reading it all looks cheap, and it does not count
 * fetching every vector from TOAST to test it (160 ms at 100k documents, against 2 ms through
 * GIN); below ~50k documents it chooses that even for a rare word. So GIN's half of "the newest
 * matches" is a function per table, search_vectors_newest and search_head_vectors_newest, whose
 * SET clauses turn sequential and plain index scans off while it runs (a function's SET clause
 * is PostgreSQL's way of scoping a planner setting to one query): only bitmap scans are left, and
 * its bounds on keys are written so no index range can serve them ("+ 0"). Testing vectors row by
 * row, which the planner thinks cheap, is then open to it only inside a window (below).
 *
 * Given window_rows (or window_start, the key where they begin, which search keeps: pgLadder.ts),
 * it first looks only at that many of the newest documents: GIN's matches
 * and-ed with the primary key's range of them (BitmapAnd), so a word in 5% of 100k documents
 * visits ~300 rows instead of 5,649 (0.5 ms instead of 3.6). If the window holds fewer than `lim`
 * matches, it asks GIN for every match. Its queries are built with the values in them, so the
 * planner sees how common the words are and how wide the window is.
 *
 * search_documents' body and word list are compressed with lz4 where PostgreSQL has it.
 *
 * SQLite: nothing to do.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  if (!isPostgres(db)) return;
  const lz4 = await hasLz4(db);
  for (const { table, column } of TABLES) {
    const t = sql.raw(table);
    const c = sql.raw(column);
    await sql`alter table ${t} rename to ${sql.raw(`${table}_old`)}`.execute(db);
    await sql`alter index ${sql.raw(`${table}_pkey`)} rename to ${sql.raw(`${table}_old_pkey`)}`.execute(db);
    await sql`alter index ${sql.raw(`${table}_${column}`)} rename to ${sql.raw(`${table}_old_${column}`)}`.execute(
      db,
    );
    await sql`create table ${t} (
      doc_key bigint primary key references search_documents (doc_key) on delete cascade,
      kind text not null,
      lang text not null,
      centre_id uuid,
      ${c} tsvector not null,
      toast_pad text not null default repeat(' ', 2048)
    ) with (toast_tuple_target = 128)`.execute(db);
    await sql`alter table ${t} alter column ${c} set storage external`.execute(db);
    if (lz4) await sql`alter table ${t} alter column toast_pad set compression lz4`.execute(db);
    // The planner's most-common-lexeme list is also what search reads to choose its strategy.
    await sql`alter table ${t} alter column ${c} set statistics 500`.execute(db);
    await sql`insert into ${t} (doc_key, kind, lang, centre_id, ${c})
      select doc_key, kind, lang, centre_id, ${c} from ${sql.raw(`${table}_old`)} order by doc_key`.execute(
      db,
    );
    await sql`drop table ${sql.raw(`${table}_old`)}`.execute(db);
    await sql`create index ${sql.raw(`${table}_${column}`)} on ${t} using gin (${c})`.execute(db);
    await sql`analyze ${t}`.execute(db);
  }
  await createNewestFunctions(db);
  // A document's stored text and word list are compressed as they are written: lz4 does it several
  // times faster than the default pglz (a bulk load's document writes at 300k: 28 → 22 s).
  if (lz4) {
    for (const column of ["body_text", "vocab"]) {
      await sql`alter table search_documents alter column ${sql.raw(column)} set compression lz4`.execute(db);
    }
  }
}

/** GIN's half of "the newest matches", one function per vector table (see above). */
export async function createNewestFunctions(db: Kysely<unknown>): Promise<void> {
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
    as $$
    declare
      cond text := '';
      window_key bigint := window_start;
      keys bigint[];
    begin
      if want_kind is not null then cond := cond || format(' and v.kind = %L', want_kind); end if;
      if want_lang is not null then cond := cond || format(' and v.lang = %L', want_lang); end if;
      if want_centre is not null then cond := cond || format(' and v.centre_id = %L', want_centre); end if;
      -- "+ 0": the bounds filter GIN's matches. As an index range they would let the planner
      -- test every vector in the range instead, fetching each from TOAST.
      if min_key is not null then cond := cond || format(' and v.doc_key + 0 >= %s', min_key); end if;
      if max_key is not null then cond := cond || format(' and v.doc_key + 0 <= %s', max_key); end if;
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
        execute format('select array(select v.doc_key from ${t} v
            where v.${c} @@ %L::tsquery and v.doc_key >= %s%s
            order by v.doc_key + 0 desc limit %s)', q, window_key, cond, lim)
          into keys;
        if cardinality(keys) >= lim then
          return query select unnest(keys);
          return;
        end if;
      end if;
      return query execute format('select v.doc_key from ${t} v
          where v.${c} @@ %L::tsquery%s
          order by v.doc_key + 0 desc limit %s', q, cond, lim);
    end
    $$`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (!isPostgres(db)) return;
  for (const column of ["body_text", "vocab"]) {
    await sql`alter table search_documents alter column ${sql.raw(column)} set compression default`.execute(
      db,
    );
  }
  for (const { table, column } of TABLES) {
    await sql`drop function ${sql.raw(`${table}_newest`)}`.execute(db);
    // Rows written again without the pad keep short vectors in the row, as before.
    await sql`alter table ${sql.raw(table)} alter column ${sql.raw(column)} set storage extended`.execute(db);
    await sql`alter table ${sql.raw(table)} drop column toast_pad`.execute(db);
    await sql`alter table ${sql.raw(table)} reset (toast_tuple_target)`.execute(db);
  }
}

async function hasLz4(db: Kysely<unknown>): Promise<boolean> {
  const r = await sql<{ ok: boolean }>`select exists (
    select 1 from pg_settings where name = 'default_toast_compression' and 'lz4' = any (enumvals)
  ) as ok`.execute(db);
  return r.rows[0]?.ok === true;
}
