import crypto from "node:crypto";
import { recordAudit } from "../../audit/recordAudit.ts";
import type { Executor } from "../../db/connect.ts";
import { newId } from "../../db/ids.ts";
import type { ArticleTable, CommentStatus, CommentTable } from "../../db/schema.ts";
import type { Ctx } from "../articles/saveArticle.ts";
import { findCommentBySourceKey, insertComment } from "../comments/queries.ts";
import { COMMENT_LIMITS, normaliseForDuplicate } from "../comments/spam.ts";
import { bumpPortalVersion } from "../contentVersion.ts";
import type { WxrComment } from "./wxrRecords.ts";
import { clip } from "./report.ts";
import { commentText } from "./text.ts";

/** wp:comment_approved → Rasai: approved stays approved; held ones stay unpublished; spam and trash are spam. */
export function commentStatusOf(approved: string): CommentStatus {
  if (approved === "1") return "approved";
  if (approved === "spam" || approved === "trash") return "spam";
  return "pending";
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function commentSourceKey(site: string, commentId: number): string {
  return `wxr:${site}#c${commentId}`;
}

/**
 * Adds the post's comments that are not there yet (each keyed by the site and its WordPress id), as plain
 * text, keeping replies under their parents. Pingbacks, trackbacks and empty comments are skipped. No
 * address is kept: an imported comment has no ip_hash.
 */
export async function importWxrComments(
  db: Executor,
  input: { article: ArticleTable; site: string; comments: WxrComment[] },
  ctx: Ctx,
): Promise<{ added: number; existing: number; skipped: number }> {
  const result = { added: 0, existing: 0, skipped: 0 };
  const byStatus: Partial<Record<CommentStatus, number>> = {};
  const rasaiId = new Map<number, string>();
  const { article } = input;
  const now = ctx.clock.now().toISOString();
  // Parents have lower ids than their replies; sorting lets a reply find its parent in the map.
  for (const c of [...input.comments].sort((a, b) => a.id - b.id)) {
    if (c.type !== "" && c.type !== "comment") {
      result.skipped++;
      continue;
    }
    const sourceKey = commentSourceKey(input.site, c.id);
    const existing = await findCommentBySourceKey(db, sourceKey);
    if (existing) {
      rasaiId.set(c.id, existing.id);
      result.existing++;
      continue;
    }
    const body = commentText(c.content);
    if (body === "") {
      result.skipped++;
      continue;
    }
    let parentId: string | null = null;
    if (c.parentId !== null) {
      parentId =
        rasaiId.get(c.parentId) ??
        (await findCommentBySourceKey(db, commentSourceKey(input.site, c.parentId)))?.id ??
        null;
    }
    const status = commentStatusOf(c.approved);
    const createdAt = c.dateGmt ?? article.published_at ?? article.created_at;
    const email = c.email.trim();
    const row: CommentTable = {
      id: newId(),
      article_id: article.id,
      centre_id: article.centre_id,
      parent_id: parentId,
      author_name: clip(c.author.replace(/\s+/g, " ").trim(), COMMENT_LIMITS.maxNameLength) || "—",
      author_email: EMAIL.test(email) && email.length <= 200 ? email : null,
      body,
      status,
      lang: article.lang,
      ip_hash: null,
      content_hash: crypto.createHash("sha256").update(normaliseForDuplicate(body)).digest("hex"),
      spam_reason: status === "spam" ? `wordpress_${c.approved}` : null,
      source_key: sourceKey,
      moderated_by: null,
      moderated_at: null,
      created_at: createdAt,
      updated_at: now,
      deleted_at: null,
    };
    await insertComment(db, row);
    rasaiId.set(c.id, row.id);
    byStatus[status] = (byStatus[status] ?? 0) + 1;
    result.added++;
  }
  if (result.added > 0) {
    await recordAudit(
      db,
      ctx.actor,
      {
        action: "comment.imported",
        entity: "article",
        entityId: article.id,
        centreId: article.centre_id,
        details: { added: result.added, ...byStatus },
      },
      ctx.clock,
    );
    bumpPortalVersion();
  }
  return result;
}
