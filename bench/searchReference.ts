// The issue's own yardstick, measured here (`npm run bench -- search --reference`): a plain engine
// index of the same documents, ranked by the engine, for the very common word. The issue gives
// what this took on its 2-core reference machine at 100k Urdu documents (FTS5: 48 ms p50, 141 ms
// p99; tsvector + GIN with ts_rank_cd: 282 ms, 657 ms), so the same query timed in the same run
// says how this machine compares with that one. It is not Rasai's search: nothing is normalised.
import { sql } from "kysely";
import { performance } from "node:perf_hooks";
import { isPostgres, type Db } from "../src/db/connect.ts";
import { percentile } from "./lib/results.ts";

/** What the issue reports for the plain indexes at 100k documents. */
export const ISSUE_REFERENCE = {
  sqlite: { label: "plain FTS5, ranked (bm25)", p50Ms: 48, p99Ms: 141 },
  postgres: { label: "plain tsvector + GIN, ts_rank_cd", p50Ms: 282, p99Ms: 657 },
} as const;

export interface ReferenceResult {
  label: string;
  word: string;
  buildSeconds: number;
  timed: number;
  p50Ms: number;
  p99Ms: number;
  /** Documents the word matched. */
  matches: number;
}

const TABLE = "bench_plain_index";

async function build(db: Db): Promise<void> {
  if (isPostgres(db)) {
    await sql`drop table if exists ${sql.raw(TABLE)}`.execute(db);
    await sql`create table ${sql.raw(TABLE)} as select doc_key,
      to_tsvector('simple', title || ' ' || strap || ' ' || coalesce(body_text, '')) as vec
      from search_documents`.execute(db);
    await sql`create index on ${sql.raw(TABLE)} using gin (vec)`.execute(db);
    await sql`vacuum analyze ${sql.raw(TABLE)}`.execute(db);
    return;
  }
  await sql`drop table if exists ${sql.raw(TABLE)}`.execute(db);
  // FTS5's defaults: the unicode61 tokenizer, full detail, the text as written.
  await sql`create virtual table ${sql.raw(TABLE)} using fts5(title, strap, body)`.execute(db);
  await sql`insert into ${sql.raw(TABLE)} (rowid, title, strap, body)
    select doc_key, title, strap, coalesce(body_text, '') from search_documents`.execute(db);
  await sql`insert into ${sql.raw(TABLE)} (${sql.raw(TABLE)}) values ('optimize')`.execute(db);
}

/** The word as one FTS5 phrase (quoted, so the engine reads no syntax in it). */
const ftsPhrase = (word: string) => `"${word.replace(/"/g, '""')}"`;

function rankedTop10(db: Db, word: string) {
  if (isPostgres(db)) {
    return sql<{
      doc_key: string;
    }>`select doc_key from ${sql.raw(TABLE)}, plainto_tsquery('simple', ${word}) q
      where vec @@ q order by ts_rank_cd(vec, q) desc limit 10`;
  }
  return sql<{ doc_key: string }>`select rowid as doc_key from ${sql.raw(TABLE)}
    where ${sql.raw(TABLE)} match ${ftsPhrase(word)} order by rank limit 10`;
}

async function matchCount(db: Db, word: string): Promise<number> {
  const r = isPostgres(db)
    ? await sql<{ n: string }>`select count(*) as n from ${sql.raw(TABLE)}
        where vec @@ plainto_tsquery('simple', ${word})`.execute(db)
    : await sql<{ n: number }>`select count(*) as n from ${sql.raw(TABLE)}
        where ${sql.raw(TABLE)} match ${ftsPhrase(word)}`.execute(db);
  return Number(r.rows[0]?.n ?? 0);
}

/**
 * Builds the plain index, times the ranked query for `word` (a few warm-up runs, then up to
 * `asked`, stopping after `budgetMs`), and drops the index again.
 */
export async function measurePlainRanking(
  db: Db,
  word: string,
  asked: number,
  budgetMs: number,
): Promise<ReferenceResult> {
  const started = performance.now();
  await build(db);
  const buildSeconds = (performance.now() - started) / 1000;
  try {
    const query = rankedTop10(db, word);
    for (let i = 0; i < 3; i++) await query.execute(db);
    const ms: number[] = [];
    const deadline = performance.now() + budgetMs;
    while (ms.length < asked && (ms.length < 10 || performance.now() < deadline)) {
      const t = performance.now();
      await query.execute(db);
      ms.push(performance.now() - t);
    }
    ms.sort((a, b) => a - b);
    const r2 = (n: number) => Math.round(n * 100) / 100;
    return {
      label: ISSUE_REFERENCE[isPostgres(db) ? "postgres" : "sqlite"].label,
      word,
      buildSeconds: Math.round(buildSeconds * 10) / 10,
      timed: ms.length,
      p50Ms: r2(percentile(ms, 0.5)),
      p99Ms: r2(percentile(ms, 0.99)),
      matches: await matchCount(db, word),
    };
  } finally {
    await sql`drop table if exists ${sql.raw(TABLE)}`.execute(db);
  }
}
