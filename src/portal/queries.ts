import { sql } from "kysely";
import type { Executor } from "../db/connect.ts";
import type { ArticleKind, ArticleRevisionTable, ArticleTable, CategoryTable } from "../db/schema.ts";

export interface PublishedFilter {
  lang: "ur" | "en";
  /** undefined: every centre and national; null: national only; string: that centre's and national. */
  centreId?: string | null;
  /** Only that centre's own (no national). */
  onlyCentreId?: string;
  kinds?: ArticleKind[];
  categoryId?: string;
  /** Leave out notices whose expiry has passed. */
  now: string;
  limit: number;
  offset: number;
}

function publishedQuery(db: Executor, f: Omit<PublishedFilter, "limit" | "offset">) {
  let q = db
    .selectFrom("articles")
    .where("status", "=", "published")
    .where("deleted_at", "is", null)
    .where("lang", "=", f.lang)
    .where((eb) => eb.or([eb("published_at", "is", null), eb("published_at", "<=", f.now)]))
    .where((eb) => eb.or([eb("expires_at", "is", null), eb("expires_at", ">", f.now)]));
  if (f.onlyCentreId) q = q.where("centre_id", "=", f.onlyCentreId);
  else if (f.centreId === null) q = q.where("centre_id", "is", null);
  else if (f.centreId !== undefined) {
    const id = f.centreId;
    q = q.where((eb) => eb.or([eb("centre_id", "is", null), eb("centre_id", "=", id)]));
  }
  if (f.kinds?.length) q = q.where("kind", "in", f.kinds);
  if (f.categoryId) q = q.where("category_id", "=", f.categoryId);
  return q;
}

export async function listPublishedArticles(db: Executor, f: PublishedFilter): Promise<ArticleTable[]> {
  return publishedQuery(db, f)
    .selectAll()
    .orderBy("published_at", "desc")
    .orderBy("id", "desc")
    .limit(f.limit)
    .offset(f.offset)
    .execute();
}

export async function countPublishedArticles(
  db: Executor,
  f: Omit<PublishedFilter, "limit" | "offset">,
): Promise<number> {
  const row = await publishedQuery(db, f)
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function findArticleByShortId(db: Executor, shortId: string): Promise<ArticleTable | undefined> {
  return db
    .selectFrom("articles")
    .selectAll()
    .where("short_id", "=", shortId)
    .where("deleted_at", "is", null)
    .executeTakeFirst();
}

export async function findArticleById(db: Executor, id: string): Promise<ArticleTable | undefined> {
  return db
    .selectFrom("articles")
    .selectAll()
    .where("id", "=", id)
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

export async function findArticleBySourceKey(db: Executor, key: string): Promise<ArticleTable | undefined> {
  return db.selectFrom("articles").selectAll().where("source_key", "=", key).executeTakeFirst();
}

export async function findArticlesByShortIds(db: Executor, shortIds: string[]): Promise<ArticleTable[]> {
  if (shortIds.length === 0) return [];
  return db
    .selectFrom("articles")
    .selectAll()
    .where("short_id", "in", shortIds)
    .where("deleted_at", "is", null)
    .execute();
}

export async function findArticlesByIds(db: Executor, ids: string[]): Promise<ArticleTable[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom("articles")
    .selectAll()
    .where("id", "in", ids)
    .where("deleted_at", "is", null)
    .execute();
}

export async function insertArticle(db: Executor, row: ArticleTable): Promise<void> {
  await db.insertInto("articles").values(row).execute();
}

export async function updateArticleRow(
  db: Executor,
  id: string,
  changes: Partial<Omit<ArticleTable, "id" | "created_at">>,
): Promise<void> {
  await db.updateTable("articles").set(changes).where("id", "=", id).execute();
}

export async function listTranslations(db: Executor, group: string): Promise<ArticleTable[]> {
  return db
    .selectFrom("articles")
    .selectAll()
    .where("translation_group", "=", group)
    .where("deleted_at", "is", null)
    .execute();
}

export interface DeskFilter {
  centreId?: string;
  status?: ArticleTable["status"];
  limit: number;
  offset: number;
}

export async function listDeskArticles(db: Executor, f: DeskFilter): Promise<ArticleTable[]> {
  let q = db.selectFrom("articles").selectAll().where("deleted_at", "is", null);
  if (f.centreId) {
    const id = f.centreId;
    q = q.where((eb) => eb.or([eb("centre_id", "=", id), eb("centre_id", "is", null)]));
  }
  if (f.status) q = q.where("status", "=", f.status);
  return q.orderBy("updated_at", "desc").orderBy("id", "desc").limit(f.limit).offset(f.offset).execute();
}

export async function listDueScheduled(db: Executor, now: string): Promise<ArticleTable[]> {
  return db
    .selectFrom("articles")
    .selectAll()
    .where("deleted_at", "is", null)
    .where("status", "!=", "published")
    .where("scheduled_at", "is not", null)
    .where("scheduled_at", "<=", now)
    .execute();
}

/** Recent published articles in a language, for also-read suggestions. */
export async function listRecentPublished(
  db: Executor,
  lang: string,
  limit: number,
): Promise<ArticleTable[]> {
  return db
    .selectFrom("articles")
    .selectAll()
    .where("status", "=", "published")
    .where("deleted_at", "is", null)
    .where("lang", "=", lang as "ur")
    .orderBy("published_at", "desc")
    .limit(limit)
    .execute();
}

export async function addViews(db: Executor, id: string, n: number): Promise<void> {
  await db
    .updateTable("articles")
    .set({ view_count: sql`view_count + ${n}` })
    .where("id", "=", id)
    .execute();
}

export async function insertRevision(db: Executor, row: ArticleRevisionTable): Promise<void> {
  await db.insertInto("article_revisions").values(row).execute();
}

export async function lastRevisionNumber(db: Executor, articleId: string): Promise<number> {
  const row = await db
    .selectFrom("article_revisions")
    .select((eb) => eb.fn.max("number").as("n"))
    .where("article_id", "=", articleId)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

export async function listRevisions(db: Executor, articleId: string): Promise<ArticleRevisionTable[]> {
  return db
    .selectFrom("article_revisions")
    .selectAll()
    .where("article_id", "=", articleId)
    .orderBy("number", "desc")
    .execute();
}

export async function findRevision(
  db: Executor,
  articleId: string,
  number: number,
): Promise<ArticleRevisionTable | undefined> {
  return db
    .selectFrom("article_revisions")
    .selectAll()
    .where("article_id", "=", articleId)
    .where("number", "=", number)
    .executeTakeFirst();
}

export async function listCategories(db: Executor): Promise<CategoryTable[]> {
  return db.selectFrom("categories").selectAll().where("deleted_at", "is", null).orderBy("slug").execute();
}

export async function findCategoryBySlug(db: Executor, slug: string): Promise<CategoryTable | undefined> {
  return db
    .selectFrom("categories")
    .selectAll()
    .where("slug", "=", slug)
    .where("deleted_at", "is", null)
    .executeTakeFirst();
}

export async function findCategoryById(db: Executor, id: string): Promise<CategoryTable | undefined> {
  return db.selectFrom("categories").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function insertCategory(db: Executor, row: CategoryTable): Promise<void> {
  await db.insertInto("categories").values(row).execute();
}

export async function listSitemapArticles(
  db: Executor,
  now: string,
): Promise<
  Pick<ArticleTable, "lang" | "short_id" | "slug" | "content_updated_at" | "published_at" | "updated_at">[]
> {
  return db
    .selectFrom("articles")
    .select(["lang", "short_id", "slug", "content_updated_at", "published_at", "updated_at"])
    .where("status", "=", "published")
    .where("deleted_at", "is", null)
    .where((eb) => eb.or([eb("published_at", "is", null), eb("published_at", "<=", now)]))
    .where((eb) => eb.or([eb("expires_at", "is", null), eb("expires_at", ">", now)]))
    .orderBy("published_at", "desc")
    .limit(50000)
    .execute();
}
