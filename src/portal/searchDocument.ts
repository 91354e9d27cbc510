// What the search index holds for an article, and the one call that keeps it in step.

import type { SelectQueryBuilder } from "kysely";
import type { Clock } from "../db/clock.ts";
import { isPostgres, type Executor } from "../db/connect.ts";
import type { ArticleTable, Database } from "../db/schema.ts";
import { indexDocuments, removeFromIndex, type SearchSource } from "../search/indexer.ts";

export function isSearchable(a: Pick<ArticleTable, "status" | "deleted_at" | "published_at">): boolean {
  return a.status === "published" && a.deleted_at === null && a.published_at !== null;
}

/** isSearchable as a query's condition. */
function whereSearchable<O>(q: SelectQueryBuilder<Database, "articles", O>) {
  return q
    .where("status", "=", "published")
    .where("deleted_at", "is", null)
    .where("published_at", "is not", null);
}

/**
 * Every run of whitespace that is not already one space, from its start: replaced by a space, the
 * text comes out as `/\s+/g` would make it, but a single space between two words is not a match.
 * An article body has one between every two words, and replacing each was most of markdownWords'
 * time (a rebuild renders every body twice: 28 → 12 µs a bench article).
 */
const LOOSE_SPACE = /[^\S ]\s*| \s+/g;

/**
 * The words of a Markdown body as a reader sees them: link and image syntax and block markers go,
 * everything else (including a literal "<script>") stays, since snippets are escaped on output.
 */
export function markdownWords(md: string): string {
  return md
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/^\s{0,3}(#{1,6}|>|[-*+]|\d+[.)])\s+/gm, "")
    .replace(/(\*\*|__|`+)/g, "")
    .replace(LOOSE_SPACE, " ")
    .trim();
}

/** The columns articleSearchSource reads. */
const SOURCE_COLUMNS = [
  "id",
  "centre_id",
  "kind",
  "lang",
  "title",
  "strap",
  "body_md",
  "image_caption",
  "tags",
  "short_id",
  "slug",
  "published_at",
  "expires_at",
] as const satisfies readonly (keyof ArticleTable)[];

export function articleSearchSource(a: Pick<ArticleTable, (typeof SOURCE_COLUMNS)[number]>): SearchSource {
  const tags = JSON.parse(a.tags || "[]") as string[];
  return {
    id: a.id,
    source: "article",
    centre_id: a.centre_id,
    kind: a.kind,
    lang: a.lang,
    title: a.title,
    strap: a.strap,
    body_text: [markdownWords(a.body_md), a.image_caption ?? "", tags.join(" ")].filter(Boolean).join(" "),
    path: `/articles/${a.short_id}-${encodeURIComponent(a.slug)}`,
    published_at: a.published_at!,
    expires_at: a.expires_at,
  };
}

/** Call inside the transaction that changed the article, with the article as it now is. */
export async function syncArticleSearch(db: Executor, a: ArticleTable, clock: Clock): Promise<void> {
  if (isSearchable(a)) await indexDocuments(db, [articleSearchSource(a)], clock);
  else await removeFromIndex(db, [a.id]);
}

/**
 * The rows a page of articles is read from, in id order by the primary key alone. Whether an
 * article is searchable is decided here, not in the query: with the status conditions in it, a
 * planner without fresh statistics (a just-imported table, autovacuum behind or off) read every
 * published row for each page through the status index and sorted them, on SQLite and
 * PostgreSQL alike, so a rebuild slowed with the square of the articles.
 */
const PAGE_COLUMNS = [...SOURCE_COLUMNS, "status", "deleted_at"] as const;

/** The query of searchableArticlesAfter (exported for a test of its plan). */
export function articlePageQuery(db: Executor, afterId: string | null, limit: number) {
  const q = db.selectFrom("articles").select(PAGE_COLUMNS).orderBy("id").limit(limit);
  return afterId ? q.where("id", ">", afterId) : q;
}

/** The query of searchableArticlesNow (exported for a test of its plan). */
export function articlesNowQuery(db: Executor, ids: readonly string[]) {
  const q = db.selectFrom("articles").select(PAGE_COLUMNS).where("id", "in", ids);
  return isPostgres(db) ? q.forShare() : q;
}

/** A page of the articles in id order, of which `docs` are the searchable ones. */
export interface ArticlePage {
  docs: SearchSource[];
  /** The last id read, where the next page starts; null when there are no more. */
  last: string | null;
}

/**
 * Articles in id order, a page at a time, their searchable ones as documents: what
 * `rasai search reindex` walks.
 */
export async function searchableArticlesAfter(
  db: Executor,
  afterId: string | null,
  limit: number,
): Promise<ArticlePage> {
  const rows = await articlePageQuery(db, afterId, limit).execute();
  return { docs: rows.filter(isSearchable).map(articleSearchSource), last: rows.at(-1)?.id ?? null };
}

/**
 * Those of `ids` that are searchable now, as they are now: a rebuild's batch is checked against
 * them in the transaction that writes it (bulkIndex.ts, recheck). On PostgreSQL the rows stay
 * locked (for share) until that transaction ends, so an edit made meanwhile waits for the batch and
 * then indexes itself over it, instead of the batch writing over the edit. Looked up by id alone,
 * for the reason given at PAGE_COLUMNS.
 */
export async function searchableArticlesNow(db: Executor, ids: readonly string[]): Promise<SearchSource[]> {
  if (ids.length === 0) return [];
  const rows = await articlesNowQuery(db, ids).execute();
  return rows.filter(isSearchable).map(articleSearchSource);
}

export async function countSearchableArticles(db: Executor): Promise<number> {
  const r = await db
    .selectFrom("articles")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .$call(whereSearchable)
    .executeTakeFirst();
  return Number(r?.n ?? 0);
}
