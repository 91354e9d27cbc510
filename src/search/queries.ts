// The only module that touches the search tables. The two engines differ here and nowhere else:
// FTS5 on SQLite, tsvector + GIN on PostgreSQL, both fed the same terms (see terms.ts).

import { sql, type RawBuilder } from "kysely";
import { isPostgres, type Executor } from "../db/connect.ts";
import type { SearchDocumentTable, SearchQueryTable } from "../db/schema.ts";
import { deletions } from "./fuzzy.ts";

export interface IndexRow extends SearchDocumentTable {
  /** Terms of title and strap: weighted higher, and the only ones a head-only match looks at. */
  head_index: string[];
  body_index: string[];
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

export type CandidateRow = Pick<
  SearchDocumentTable,
  | "doc_key"
  | "id"
  | "kind"
  | "lang"
  | "centre_id"
  | "title"
  | "strap"
  | "path"
  | "title_terms"
  | "strap_terms"
  | "published_at"
  | "expires_at"
>;

const CANDIDATE_COLUMNS = sql.raw(
  "d.doc_key, d.id, d.kind, d.lang, d.centre_id, d.title, d.strap, d.path, d.title_terms, d.strap_terms, d.published_at, d.expires_at",
);

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

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

export async function deleteIndexed(
  db: Executor,
  rows: readonly Pick<SearchDocumentTable, "doc_key" | "vocab">[],
): Promise<void> {
  if (rows.length === 0) return;
  const keys = rows.map((r) => r.doc_key);
  for (const part of chunks(keys, 500)) {
    await db.deleteFrom("search_documents").where("doc_key", "in", part).execute();
    if (!isPostgres(db)) {
      await sql`delete from search_fts where rowid in (${sql.join(part)})`.execute(db);
    }
  }
  const counts = countWords(rows.map((r) => r.vocab));
  for (const part of chunks(
    [...counts.entries()].sort(([a], [b]) => (a < b ? -1 : 1)),
    500,
  )) {
    // One statement per distinct decrement keeps it portable; batches share decrements.
    const byCount = new Map<number, string[]>();
    for (const [term, n] of part) byCount.set(n, [...(byCount.get(n) ?? []), term]);
    for (const [n, terms] of byCount) {
      await db
        .updateTable("search_vocab")
        .set({ df: sql<number>`df - ${n}` })
        .where("term", "in", terms)
        .execute();
    }
  }
}

function countWords(vocabs: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const v of vocabs) for (const w of v.split(" ")) if (w) counts.set(w, (counts.get(w) ?? 0) + 1);
  return counts;
}

function tsvectorLiteral(head: readonly string[], body: readonly string[]): string {
  const quote = (t: string) => `'${t.replace(/\\/g, "\\\\").replace(/'/g, "''")}'`;
  // Head terms carry weight A at position 1, body terms the default D at position 2; a term in
  // both gets both positions when PostgreSQL merges duplicate lexemes.
  return [...head.map((t) => `${quote(t)}:1A`), ...body.map((t) => `${quote(t)}:2`)].join(" ");
}

export async function insertIndexed(db: Executor, rows: readonly IndexRow[]): Promise<void> {
  if (rows.length === 0) return;
  const pg = isPostgres(db);
  for (const part of chunks(rows, 200)) {
    await db
      .insertInto("search_documents")
      .values(
        part.map(({ head_index, body_index, ...row }) => ({
          ...row,
          ...(pg ? { vec: sql`cast(${tsvectorLiteral(head_index, body_index)} as tsvector)` } : {}),
        })) as never,
      )
      .execute();
    if (!pg) {
      const values = part.map(
        (r) => sql`(${r.doc_key}, ${r.head_index.join(" ")}, ${r.body_index.join(" ")})`,
      );
      await sql`insert into search_fts (rowid, head, body) values ${sql.join(values)}`.execute(db);
    }
  }
  const counts = countWords(rows.map((r) => r.vocab));
  // Sorted, so concurrent writers take row locks in the same order and cannot deadlock.
  const entries = [...counts.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
  for (const part of chunks(entries, 1000)) {
    const changed = await db
      .insertInto("search_vocab")
      .values(part.map(([term, df]) => ({ term, df })))
      .onConflict((oc) => oc.column("term").doUpdateSet({ df: sql<number>`search_vocab.df + excluded.df` }))
      .returning(["term", "df"])
      .execute();
    const fresh = changed.filter((r) => r.df === counts.get(r.term)).map((r) => r.term);
    const dels = fresh.flatMap((term) => deletions(term).map((del) => ({ del, term })));
    for (const d of chunks(dels, 2000)) {
      await db
        .insertInto("search_vocab_deletes")
        .values(d)
        .onConflict((oc) => oc.columns(["del", "term"]).doNothing())
        .execute();
    }
  }
}

export async function indexedIdsAfter(db: Executor, after: string | null, limit: number): Promise<string[]> {
  let q = db.selectFrom("search_documents").select("id").orderBy("id").limit(limit);
  if (after) q = q.where("id", ">", after);
  return (await q.execute()).map((r) => r.id);
}

// ---- reading --------------------------------------------------------------------------------

function fts5Query(q: MatchQuery, headOnly: boolean): string {
  const quote = (t: string) => `"${t.replace(/"/g, '""')}"`;
  const expr = q
    .map((g) => `(${g.map((m) => quote(m.term) + (m.prefix ? "*" : "")).join(" OR ")})`)
    .join(" AND ");
  return headOnly ? `{head} : (${expr})` : expr;
}

function tsQuery(q: MatchQuery, headOnly: boolean): string {
  const quote = (t: string) => `'${t.replace(/\\/g, "\\\\").replace(/'/g, "''")}'`;
  const weight = headOnly ? "A" : "";
  return q
    .map(
      (g) =>
        `(${g.map((m) => quote(m.term) + (m.prefix || headOnly ? `:${m.prefix ? "*" : ""}${weight}` : "")).join(" | ")})`,
    )
    .join(" & ");
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

/** The newest `limit` documents matching the query (in title and strap only when headOnly). */
export async function matchNewest(
  db: Executor,
  q: MatchQuery,
  filters: SearchFilters,
  opts: { headOnly: boolean; limit: number },
): Promise<CandidateRow[]> {
  if (q.length === 0) return [];
  const conditions = filterConditions(filters);
  const extra = conditions.length > 0 ? sql` and ${sql.join(conditions, sql` and `)}` : sql``;
  if (isPostgres(db)) {
    const r = await sql<CandidateRow>`select ${CANDIDATE_COLUMNS} from search_documents d
      where d.vec @@ cast(${tsQuery(q, opts.headOnly)} as tsquery)${extra}
      order by d.doc_key desc limit ${opts.limit}`.execute(db);
    return r.rows;
  }
  const r = await sql<CandidateRow>`select ${CANDIDATE_COLUMNS} from search_fts
    join search_documents d on d.doc_key = search_fts.rowid
    where search_fts match ${fts5Query(q, opts.headOnly)}${extra}
    order by search_fts.rowid desc limit ${opts.limit}`.execute(db);
  return r.rows;
}

export async function bodiesOf(db: Executor, keys: readonly number[]): Promise<Map<number, string>> {
  if (keys.length === 0) return new Map();
  const rows = await db
    .selectFrom("search_documents")
    .select(["doc_key", "body_text"])
    .where("doc_key", "in", [...keys])
    .execute();
  return new Map(rows.map((r) => [Number(r.doc_key), r.body_text]));
}

/** Vocabulary words (still in some document) that might be within one edit of `word`. */
export async function vocabularyNeighbours(
  db: Executor,
  word: string,
): Promise<{ term: string; df: number }[]> {
  const dels = deletions(word);
  const viaDeletes = db
    .selectFrom("search_vocab_deletes")
    .select("term")
    .where("del", "in", [word, ...dels]);
  return db
    .selectFrom("search_vocab")
    .select(["term", "df"])
    .where("df", ">", 0)
    .where((eb) => eb.or([eb("term", "in", dels), eb("term", "in", viaDeletes)]))
    .execute();
}

export async function vocabularyFrequencies(
  db: Executor,
  words: readonly string[],
): Promise<Map<string, number>> {
  if (words.length === 0) return new Map();
  const rows = await db
    .selectFrom("search_vocab")
    .select(["term", "df"])
    .where("term", "in", [...words])
    .execute();
  return new Map(rows.map((r) => [r.term, Number(r.df)]));
}

export async function countIndexed(db: Executor): Promise<number> {
  const r = await db
    .selectFrom("search_documents")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirst();
  return Number(r?.n ?? 0);
}

// ---- query log ------------------------------------------------------------------------------

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
