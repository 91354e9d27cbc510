import type { Executor } from "../../db/connect.ts";
import type { CommentStatus, CommentTable } from "../../db/schema.ts";

export async function insertComment(db: Executor, row: CommentTable): Promise<void> {
  await db.insertInto("comments").values(row).execute();
}

export async function listApprovedComments(db: Executor, articleId: string): Promise<CommentTable[]> {
  return db
    .selectFrom("comments")
    .selectAll()
    .where("article_id", "=", articleId)
    .where("status", "=", "approved")
    .where("deleted_at", "is", null)
    .orderBy("created_at")
    .orderBy("id")
    .execute();
}

export async function countRecentByAddress(db: Executor, ipHash: string, since: string): Promise<number> {
  const row = await db
    .selectFrom("comments")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("ip_hash", "=", ipHash)
    .where("created_at", ">", since)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function findDuplicate(
  db: Executor,
  articleId: string,
  contentHash: string,
): Promise<CommentTable | undefined> {
  return db
    .selectFrom("comments")
    .selectAll()
    .where("article_id", "=", articleId)
    .where("content_hash", "=", contentHash)
    .where("deleted_at", "is", null)
    .executeTakeFirst();
}

export interface QueueFilter {
  status: CommentStatus;
  /** Only comments on this centre's articles; undefined for every centre. */
  centreId?: string;
  limit: number;
  offset: number;
}

export async function listCommentQueue(db: Executor, f: QueueFilter) {
  let q = db
    .selectFrom("comments")
    .innerJoin("articles", "articles.id", "comments.article_id")
    .select([
      "comments.id",
      "comments.article_id",
      "comments.centre_id",
      "comments.author_name",
      "comments.author_email",
      "comments.body",
      "comments.status",
      "comments.spam_reason",
      "comments.created_at",
      "articles.title as article_title",
      "articles.short_id as article_short_id",
      "articles.slug as article_slug",
      "articles.lang as article_lang",
    ])
    .where("comments.status", "=", f.status)
    .where("comments.deleted_at", "is", null);
  if (f.centreId) q = q.where("comments.centre_id", "=", f.centreId);
  return q.orderBy("comments.created_at", "desc").limit(f.limit).offset(f.offset).execute();
}

export async function countByStatus(db: Executor, status: CommentStatus, centreId?: string): Promise<number> {
  let q = db
    .selectFrom("comments")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("status", "=", status)
    .where("deleted_at", "is", null);
  if (centreId) q = q.where("centre_id", "=", centreId);
  return Number((await q.executeTakeFirstOrThrow()).n);
}

export async function findCommentsByIds(db: Executor, ids: string[]): Promise<CommentTable[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom("comments")
    .selectAll()
    .where("id", "in", ids)
    .where("deleted_at", "is", null)
    .execute();
}

export async function setCommentStatus(
  db: Executor,
  ids: string[],
  status: CommentStatus,
  by: string | null,
  now: string,
): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable("comments")
    .set({ status, moderated_by: by, moderated_at: now, updated_at: now })
    .where("id", "in", ids)
    .execute();
}

export async function findCommentBySourceKey(db: Executor, key: string): Promise<CommentTable | undefined> {
  return db.selectFrom("comments").selectAll().where("source_key", "=", key).executeTakeFirst();
}
