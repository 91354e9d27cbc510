// The only module that touches the search index's tables, with pgMatch.ts (PostgreSQL's match
// strategy), vocabulary.ts (the word counts) and maintenance.ts (bulk loads and rebuilds); the
// query log has queryLogQueries.ts.
// The two engines differ here and nowhere else: FTS5 on SQLite, tsvector + GIN on PostgreSQL,
// both fed the same terms (see terms.ts).

import { sql, type RawBuilder } from "kysely";
import { isPostgres, type Executor } from "../db/connect.ts";
import type { SearchDocumentTable } from "../db/schema.ts";
import { countWords } from "./analysis.ts";
import { newestPg, type EngineStats } from "./pgMatch.ts";
import { chunks, prepared } from "./statementParts.ts";
import { addWordCounts } from "./vocabulary.ts";

export interface IndexRow extends SearchDocumentTable {
  /** Distinct terms of title and strap, space-separated: what a head-only match looks at. */
  head_index: string;
  /** Distinct terms of the whole document, space-separated. */
  all_index: string;
}

export interface MatchTerm {
  readonly term: string;
  readonly prefix: boolean;
}

/** AND of groups, each an OR of terms. */
export type MatchQuery = readonly (readonly MatchTerm[])[];

export interface SearchFilters {
  kind?: string | undefined;
  lang?: string | undefined;
  centreId?: string | undefined;
  /** Inclusive ISO instants on published_at. */
  from?: string | undefined;
  to?: string | undefined;
}

/** The characters of CandidateRow.places. */
export const PLACE = { title: "2", strap: "1", neither: "0" } as const;

/** The only kind of document whose expiry ranking looks at. */
export const EXPIRING_KIND = "notice";

/** What ranking needs of every candidate. */
export type CandidateRow = Pick<SearchDocumentTable, "doc_key" | "kind" | "expires_at"> & {
  /** Where each needle asked about is: a character (PLACE) each. */
  places: string;
};

/** What a results page shows of the few candidates on it. */
export type PageRow = Pick<
  SearchDocumentTable,
  "doc_key" | "id" | "kind" | "lang" | "centre_id" | "title" | "strap" | "path" | "published_at"
> & { body_text?: string; snippet_bits?: Uint8Array | null };

// ---- writing --------------------------------------------------------------------------------

export async function findIndexed(
  db: Executor,
  ids: readonly string[],
): Promise<Pick<SearchDocumentTable, "doc_key" | "id" | "vocab" | "published_at">[]> {
  if (ids.length === 0) return [];
  const out = [];
  for (const part of chunks(ids, 500)) {
    out.push(
      ...(await db
        .selectFrom("search_documents")
        .select(["doc_key", "id", "vocab", "published_at"])
        .where("id", "in", part)
        .execute()),
    );
  }
  return out;
}

export async function takenDocKeys(db: Executor, keys: readonly number[]): Promise<Set<number>> {
  const taken = new Set<number>();
  for (const part of chunks(keys, 500)) {
    const rows = await db
      .selectFrom("search_documents")
      .select("doc_key")
      .where("doc_key", "in", part)
      .execute();
    for (const r of rows) taken.add(Number(r.doc_key));
  }
  return taken;
}

/**
 * `vocabulary: false` leaves the word counts alone: a load into an empty index counts them once at
 * the end (maintenance.ts, recountVocabulary).
 */
export interface VocabularyOption {
  vocabulary?: boolean;
}

export async function deleteIndexed(
  db: Executor,
  rows: readonly Pick<SearchDocumentTable, "doc_key" | "vocab">[],
  { vocabulary = true }: VocabularyOption = {},
): Promise<void> {
  if (rows.length === 0) return;
  const keys = rows.map((r) => r.doc_key);
  for (const part of chunks(keys, 500)) {
    // On PostgreSQL the vector rows go with them (on delete cascade).
    await db.deleteFrom("search_documents").where("doc_key", "in", part).execute();
    if (!isPostgres(db)) {
      await sql`delete from search_fts where rowid in (${sql.join(part)})`.execute(db);
      await sql`delete from search_head_fts where rowid in (${sql.join(part)})`.execute(db);
    }
  }
  if (!vocabulary) return;
  await addWordCounts(
    db,
    countWords(
      rows.map((r) => r.vocab),
      new Map(),
      -1,
    ),
  );
}

export async function insertIndexed(
  db: Executor,
  rows: readonly IndexRow[],
  { vocabulary = true }: VocabularyOption = {},
): Promise<void> {
  if (rows.length === 0) return;
  // In key order: two writers (bulkIndex.ts) that want the same keys ask for them in the same order.
  for (const chunk of chunks(byDocKey(rows), 200)) {
    // Keys carry the publication millisecond, so two documents published in the same one (a
    // batch, a second writer) can pick the same key. A clash is skipped, not an error, and the
    // loser takes the next slot; on PostgreSQL the second writer waits for the first to commit.
    let pending: IndexRow[] = chunk;
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > 64) throw new Error("search index: no free document key after 64 tries");
      const inserted = await db
        .insertInto("search_documents")
        .values(pending.map(({ head_index: _h, all_index: _a, ...row }) => row))
        .onConflict((oc) => oc.column("doc_key").doNothing())
        .returning("doc_key")
        .execute();
      const done = new Set(inserted.map((r) => Number(r.doc_key)));
      const part = pending.filter((r) => done.has(r.doc_key));
      if (part.length > 0) await insertTextIndex(db, part);
      pending = pending
        .filter((r) => !done.has(r.doc_key))
        .map((r) => ({ ...r, doc_key: r.doc_key - (r.doc_key % 1024) + (((r.doc_key % 1024) + 1) % 1024) }));
    }
  }
  if (vocabulary) await addWordCounts(db, countWords(rows.map((r) => r.vocab)));
}

/**
 * Rows in the order of their keys. FTS5 writes out what it has gathered whenever a row's key is
 * below the last one's (sqlite3Fts5IndexBeginWrite), so a batch in any other order became a
 * segment every few rows: 500 documents published over a month, ~250 segments instead of one.
 */
function byDocKey(rows: readonly IndexRow[]): IndexRow[] {
  return [...rows].sort((a, b) => a.doc_key - b.doc_key);
}

/** The engine's own index of the rows just added to search_documents. */
async function insertTextIndex(db: Executor, rows: readonly IndexRow[]): Promise<void> {
  if (isPostgres(db)) {
    // Terms never hold a space (they are single normalised words and keys), so each vector's
    // terms travel as one string: cheaper to send than a quoted array literal per row.
    const columns = sql`${rows.map((r) => r.doc_key)}::bigint[], ${rows.map((r) => r.kind)}::text[],
      ${rows.map((r) => r.lang)}::text[], ${rows.map((r) => r.centre_id)}::uuid[]`;
    await sql`insert into search_head_vectors (doc_key, kind, lang, centre_id, head_vec)
      select k, kind, lang, centre, array_to_tsvector(string_to_array(terms, ' '))
      from unnest(${columns}, ${rows.map((r) => r.head_index)}::text[])
        as t(k, kind, lang, centre, terms)`.execute(db);
    await sql`insert into search_vectors (doc_key, kind, lang, centre_id, vec)
      select k, kind, lang, centre, array_to_tsvector(string_to_array(terms, ' '))
      from unnest(${columns}, ${rows.map((r) => r.all_index)}::text[])
        as t(k, kind, lang, centre, terms)`.execute(db);
    return;
  }
  const ordered = byDocKey(rows);
  const head = ordered.map((r) => sql`(${r.doc_key}, ${r.head_index})`);
  const all = ordered.map((r) => sql`(${r.doc_key}, ${r.all_index})`);
  await sql`insert into search_head_fts (rowid, terms) values ${sql.join(head)}`.execute(db);
  await sql`insert into search_fts (rowid, terms) values ${sql.join(all)}`.execute(db);
}

export async function indexedIdsAfter(db: Executor, after: string | null, limit: number): Promise<string[]> {
  let q = db.selectFrom("search_documents").select("id").orderBy("id").limit(limit);
  if (after) q = q.where("id", ">", after);
  return (await q.execute()).map((r) => r.id);
}

// ---- reading --------------------------------------------------------------------------------

function fts5Query(q: MatchQuery): string {
  const quote = (t: string) => `"${t.replace(/"/g, '""')}"`;
  return q.map((g) => `(${g.map((m) => quote(m.term) + (m.prefix ? "*" : "")).join(" OR ")})`).join(" AND ");
}

function filterConditions(f: SearchFilters): RawBuilder<unknown>[] {
  const c: RawBuilder<unknown>[] = [];
  if (f.kind) c.push(sql`d.kind = ${f.kind}`);
  if (f.lang) c.push(sql`d.lang = ${f.lang}`);
  if (f.centreId) c.push(sql`d.centre_id = ${f.centreId}`);
  if (f.from) c.push(sql`d.published_at >= ${f.from}`);
  if (f.to) c.push(sql`d.published_at <= ${f.to}`);
  return c;
}

/** Publication instants as doc_key bounds: the key is the publication millisecond × 1024 + a slot. */
export function keyBounds(f: SearchFilters): { minKey?: number; maxKey?: number } {
  const at = (iso: string | undefined) => (iso ? Date.parse(iso) : NaN);
  const from = at(f.from);
  const to = at(f.to);
  return {
    ...(Number.isFinite(from) ? { minKey: from * 1024 } : {}),
    ...(Number.isFinite(to) ? { maxKey: to * 1024 + 1023 } : {}),
  };
}

/**
 * Rows of search_documents for a statement yielding keys, newest first, with where each needle
 * is in the title or strap. Needles are looked for in the space-padded term lists, by the engine:
 * a character per needle comes back instead of both lists, which were most of what a search read
 * (decoding ~50 KB of Urdu text per search took longer than the look-ups do).
 */
export function candidatesOf(
  keys: RawBuilder<unknown>,
  needles: readonly string[] | null,
  postgres: boolean,
): RawBuilder<CandidateRow> {
  if (needles === null) return placelessCandidatesOf(keys, postgres);
  const find = sql.raw(postgres ? "strpos" : "instr");
  const place = (needle: string) => sql`case when ${find}(c.t, ${needle}) > 0 then ${sql.lit(PLACE.title)}
    when ${find}(c.s, ${needle}) > 0 then ${sql.lit(PLACE.strap)} else ${sql.lit(PLACE.neither)} end`;
  const places = needles.length > 0 ? sql.join(needles.map(place), sql` || `) : sql`''`;
  // Materialised, so each list is padded once per row, not once per needle.
  return sql<CandidateRow>`${prepared}with c as materialized (select d.doc_key, d.kind, d.expires_at,
        ' ' || d.title_terms || ' ' as t, ' ' || d.strap_terms || ' ' as s
      from (${keys}) k join search_documents d on d.doc_key = k.doc_key)
    select c.doc_key, c.kind, c.expires_at, ${places} as places from c order by c.doc_key desc`;
}

/**
 * candidatesOf without where the needles are (places is empty). On PostgreSQL the kind comes from
 * the narrow vector table, and only a notice's row of the wide search_documents is read, for its
 * expiry. At 100k documents this took 3–6% off the server's CPU per one-word search, and 3–8% off
 * its p50 (up to 20% for a very common word while the host was busy).
 */
function placelessCandidatesOf(keys: RawBuilder<unknown>, postgres: boolean): RawBuilder<CandidateRow> {
  if (!postgres) {
    return sql<CandidateRow>`${prepared}select d.doc_key, d.kind, d.expires_at, '' as places
      from (${keys}) k join search_documents d on d.doc_key = k.doc_key order by d.doc_key desc`;
  }
  // The kind as a subquery, not a join: joined, a hundred keys and a table of 10k rows were
  // planned as a hash join that read all of them (1.4 ms, against 0.1 for a look-up per key).
  // "offset 0" keeps the subquery where it is.
  const expires = sql`case when x.kind = ${sql.lit(EXPIRING_KIND)}
    then (select d.expires_at from search_documents d where d.doc_key = x.doc_key) end`;
  return sql<CandidateRow>`${prepared}select x.doc_key, x.kind, ${expires} as expires_at, '' as places
    from (select k.doc_key, (select v.kind from search_vectors v where v.doc_key = k.doc_key) as kind
      from (${keys}) k offset 0) x order by x.doc_key desc`;
}

/**
 * The newest `limit` documents matching the query (in title and strap only when headOnly),
 * newest first, with what ranking needs of them: their kind, expiry, and where each of `needles`
 * is (see CandidateRow). `stats` (from engineStats, PostgreSQL only) lets PostgreSQL choose how
 * to find them.
 */
export async function matchNewest(
  db: Executor,
  q: MatchQuery,
  filters: SearchFilters,
  opts: {
    headOnly: boolean;
    limit: number;
    needles: readonly string[];
    stats?: EngineStats | undefined;
    /** False: where the needles are is not wanted (CandidateRow.places comes back empty). */
    withPlaces?: boolean;
  },
): Promise<CandidateRow[]> {
  if (q.length === 0) return [];
  const postgres = isPostgres(db);
  const needles = opts.withPlaces === false ? null : opts.needles;
  const around = (keys: RawBuilder<unknown>) => candidatesOf(keys, needles, postgres);
  if (postgres) {
    const { from: _from, to: _to, ...rest } = filters;
    return newestPg(db, q, { ...rest, ...keyBounds(filters) }, { ...opts, stats: opts.stats }, around);
  }
  const conditions = filterConditions(filters);
  const extra = conditions.length > 0 ? sql` and ${sql.join(conditions, sql` and `)}` : sql``;
  const table = sql.raw(opts.headOnly ? "search_head_fts" : "search_fts");
  const keys =
    conditions.length === 0
      ? sql`select rowid as doc_key from ${table} where ${table} match ${fts5Query(q)}
          order by rowid desc limit ${opts.limit}`
      : sql`select d.doc_key from ${table} f
          join search_documents d on d.doc_key = f.rowid
          where f.${table} match ${fts5Query(q)}${extra}
          order by f.rowid desc limit ${opts.limit}`;
  return (await around(keys).execute(db)).rows;
}

/**
 * The rows a page shows, by key; the body (for snippets) only when asked for, and then only its
 * first `bodyChars` characters: a snippet reads no further, and a long guide need not be sent whole.
 */
export async function pageRows(
  db: Executor,
  keys: readonly number[],
  opts: { body: false } | { body: true; bodyChars: number },
): Promise<Map<number, PageRow>> {
  if (keys.length === 0) return new Map();
  const columns = [
    "doc_key",
    "id",
    "kind",
    "lang",
    "centre_id",
    "title",
    "strap",
    "path",
    "published_at",
  ] as const;
  const cut = opts.body ? sql.lit(opts.bodyChars) : null;
  // PostgreSQL: a body of no more bytes than the characters asked for is sent as it is. Its size
  // is read off the TOAST pointer; substr on a compressed body cost 0.1–0.2 ms more per page of
  // ten (article-length bodies, measured interleaved), and nearly every body is that short.
  const body = !cut
    ? sql``
    : isPostgres(db)
      ? sql`, case when octet_length(body_text) <= ${cut} then body_text else substr(body_text, 1, ${cut}) end
          as body_text, snippet_bits`
      : sql`, substr(body_text, 1, ${cut}) as body_text, snippet_bits`;
  const rows = await sql<PageRow>`${prepared}select ${sql.join(columns.map((c) => sql.ref(c)))}${body}
    from search_documents where doc_key in (${sql.join([...keys])})`.execute(db);
  return new Map(rows.rows.map((r) => [Number(r.doc_key), r]));
}

export async function countIndexed(db: Executor): Promise<number> {
  const r = await db
    .selectFrom("search_documents")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirst();
  return Number(r?.n ?? 0);
}
