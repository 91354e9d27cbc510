import type { Executor } from "../db/connect.ts";
import type { ArticleTable } from "../db/schema.ts";

export interface ArticleListFilter {
  lang: "ur" | "en";
  /** undefined: every centre and national; null: national only; a string: that centre's and national. */
  centreId?: string | null;
  limit: number;
  offset: number;
}

export async function listPublishedArticles(
  db: Executor,
  filter: ArticleListFilter,
): Promise<ArticleTable[]> {
  let q = db
    .selectFrom("articles")
    .selectAll()
    .where("status", "=", "published")
    .where("deleted_at", "is", null)
    .where("lang", "=", filter.lang);
  if (filter.centreId === null) q = q.where("centre_id", "is", null);
  else if (filter.centreId !== undefined) {
    const centreId = filter.centreId;
    q = q.where((eb) => eb.or([eb("centre_id", "is", null), eb("centre_id", "=", centreId)]));
  }
  return q
    .orderBy("published_at", "desc")
    .orderBy("id", "desc")
    .limit(filter.limit)
    .offset(filter.offset)
    .execute();
}

export async function findArticleByShortId(db: Executor, shortId: string): Promise<ArticleTable | undefined> {
  return db
    .selectFrom("articles")
    .selectAll()
    .where("short_id", "=", shortId)
    .where("deleted_at", "is", null)
    .executeTakeFirst();
}

export async function findArticleBySlug(
  db: Executor,
  lang: string,
  slug: string,
): Promise<ArticleTable | undefined> {
  return db
    .selectFrom("articles")
    .selectAll()
    .where("lang", "=", lang as "ur")
    .where("slug", "=", slug)
    .where("deleted_at", "is", null)
    .executeTakeFirst();
}

export async function insertArticle(db: Executor, row: ArticleTable): Promise<void> {
  await db.insertInto("articles").values(row).execute();
}
