// The vocabulary (search_vocab): each word's count of documents, kept as documents are indexed,
// and read for typo correction (plan.ts, withTypoCorrection).

import { sql } from "kysely";
import { isPostgres, type Executor } from "../db/connect.ts";
import { chunks, prepared, wordArray } from "./statementParts.ts";

/**
 * Adds to the vocabulary's word counts (a negative count takes away). A word not there yet gets a
 * row even when its count is negative: during a load into an empty index (bulkIndex.ts) another
 * writer may take away a document before the load adds its words, and the two must still sum.
 */
export async function addWordCounts(db: Executor, counts: ReadonlyMap<string, number>): Promise<void> {
  // Sorted, so that one statement takes its row locks in the same order as another, and the index
  // is written in its own order (518k words into an empty vocabulary: 2.8 s unsorted, 1.9 sorted).
  // sort() without a comparator orders by UTF-16 code units, as `<` does, in a third of the time
  // (518k words: 411 against 909 ms with a comparator on entries).
  const terms = [...counts.keys()].filter((t) => counts.get(t) !== 0).sort();
  if (terms.length === 0) return;
  if (isPostgres(db)) {
    if (!db.isTransaction) return db.transaction().execute((trx) => addWordCounts(trx, counts));
    // Sorting is not enough across statements: a transaction that takes words away, then adds
    // others (an edit beside a removal), holds a late word while it waits for an early one, and a
    // writer sorted the other way round holds that one and waits for the late word: a deadlock,
    // seen between an editor's transaction and the end of a load into an empty index. So the
    // vocabulary has one writer at a time, from its first count to its commit.
    await sql`select pg_advisory_xact_lock(hashtext(current_schema() || ':rasai-search-vocab'))`.execute(db);
    // Two parameters instead of two per word: a batch's ~20k words in one statement, the words
    // as wordArray sends them and the counts joined by commas.
    for (const part of chunks(terms, 50_000)) {
      const df = part.map((t) => counts.get(t)!);
      await sql`insert into search_vocab (term, df)
        select * from unnest(${wordArray(part)}, string_to_array(${df.join(",")}::text, ',')::int[])
        on conflict (term) do update set df = search_vocab.df + excluded.df`.execute(db);
    }
    return;
  }
  for (const part of chunks(terms, 1000)) {
    await db
      .insertInto("search_vocab")
      .values(part.map((term) => ({ term, df: counts.get(term)! })))
      .onConflict((oc) => oc.column("term").doUpdateSet({ df: sql<number>`search_vocab.df + excluded.df` }))
      .execute();
  }
}

/** Words from which a PostgreSQL vocabulary look-up is split in two (knownWords). */
const SPLIT_LOOK_UP = 200;

/** Which of these words some document still has, with their document counts. */
export async function knownWords(
  db: Executor,
  words: readonly string[],
): Promise<{ term: string; df: number }[]> {
  const out: { term: string; df: number }[] = [];
  if (isPostgres(db)) {
    // A typo's neighbourhood is ~600 words: one parameter (wordArray), not two statements of 500
    // placeholders each to parse and plan. Words with a space or empty are in no vocabulary, and
    // are left out, so the statement's text stays the one prepared. Each word is looked up on its
    // own (lateral): as `term = any(array)` the planner read the whole vocabulary instead when it
    // was small (111k words at 10k documents: 7.5 ms, against 0.7 ms through the index).
    //
    // A long list is looked up as two halves side by side, on two pooled connections: a typo's
    // ~600 look-ups are CPU work for the server (100k documents: 1.00 → 0.81 ms).
    const spaceless = [...new Set(words)].filter((w) => w !== "" && !/\s/.test(w));
    const lookUp = (part: readonly string[]) => sql<{
      term: string;
      df: number;
    }>`${prepared}select w.term, v.df
      from unnest(${wordArray(part)}) as w(term)
      cross join lateral (select v.df from search_vocab v where v.term = w.term and v.df > 0 limit 1) v`;
    const parts =
      spaceless.length >= SPLIT_LOOK_UP ? chunks(spaceless, Math.ceil(spaceless.length / 2)) : [spaceless];
    const found = await Promise.all(parts.map((part) => lookUp(part).execute(db)));
    return found.flatMap((r) => r.rows.map((row) => ({ term: row.term, df: Number(row.df) })));
  }
  for (const part of chunks([...new Set(words)], 500)) {
    const rows = await db
      .selectFrom("search_vocab")
      .select(["term", "df"])
      .where("term", "in", part)
      .where("df", ">", 0)
      .execute();
    out.push(...rows.map((r) => ({ term: r.term, df: Number(r.df) })));
  }
  return out;
}
