import crypto from "node:crypto";
import { recordAudit } from "../../audit/recordAudit.ts";
import type { Actor } from "../../audit/actor.ts";
import type { Clock } from "../../db/clock.ts";
import type { Executor } from "../../db/connect.ts";
import { newId } from "../../db/ids.ts";
import type { CommentStatus, CommentTable } from "../../db/schema.ts";
import {
  DomainError,
  NotFound,
  TooManyRequests,
  ValidationFailed,
  type FieldProblem,
} from "../../server/errors.ts";
import { bumpPortalVersion } from "../contentVersion.ts";
import { assertMay, mayModerate } from "../policy.ts";
import { findArticleById } from "../queries.ts";
import { COMMENT_LIMITS, normaliseForDuplicate, spamReason } from "./spam.ts";
import {
  countRecentByAddress,
  findCommentsByIds,
  findDuplicate,
  insertComment,
  setCommentStatus,
} from "./queries.ts";

export interface CommentInput {
  articleId: string;
  name: string;
  email: string;
  body: string;
  honeypot: string;
  /** Seconds between the form being issued and sent. */
  fillSeconds: number;
  ip: string;
}

export class CommentsClosed extends DomainError {
  constructor() {
    super("comments_closed", 409);
  }
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The problems a person can fix, checked the same on the server and (as a hint) in the page. */
export function commentFieldProblems(input: Pick<CommentInput, "name" | "email" | "body">): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!input.body.trim()) problems.push({ path: "/comment", code: "comment_required" });
  else if (input.body.length > COMMENT_LIMITS.maxLength)
    problems.push({ path: "/comment", code: "too_long", params: { limit: COMMENT_LIMITS.maxLength } });
  if (!input.name.trim()) problems.push({ path: "/author", code: "name_required" });
  else if (input.name.length > COMMENT_LIMITS.maxNameLength)
    problems.push({ path: "/author", code: "too_long", params: { limit: COMMENT_LIMITS.maxNameLength } });
  if (input.email.trim() && (!EMAIL.test(input.email.trim()) || input.email.length > 200))
    problems.push({ path: "/email", code: "invalid_email" });
  return problems;
}

export function hashAddress(secret: string, ip: string): string {
  return crypto.createHmac("sha256", secret).update(`ip:${ip}`).digest("base64url").slice(0, 22);
}

/**
 * A reader's comment. It is stored as pending (or as spam, with the reason) and shown only
 * once approved. Too many from one address are refused; an exact duplicate is refused.
 */
export async function submitComment(
  db: Executor,
  input: CommentInput,
  ctx: { clock: Clock; secret: string },
): Promise<{ comment: CommentTable }> {
  const problems = commentFieldProblems(input);
  if (problems.length) throw new ValidationFailed(problems);
  const article = await findArticleById(db, input.articleId);
  if (!article || article.status !== "published") throw new NotFound("article");
  if (!article.comments_open) throw new CommentsClosed();
  const now = ctx.clock.now();
  const ipHash = hashAddress(ctx.secret, input.ip);
  const since = new Date(now.getTime() - COMMENT_LIMITS.perAddressWindowMs).toISOString();
  if ((await countRecentByAddress(db, ipHash, since)) >= COMMENT_LIMITS.perAddress) {
    throw new TooManyRequests(Math.ceil(COMMENT_LIMITS.perAddressWindowMs / 1000));
  }
  const contentHash = crypto.createHash("sha256").update(normaliseForDuplicate(input.body)).digest("hex");
  if (await findDuplicate(db, article.id, contentHash)) {
    throw new ValidationFailed([{ path: "/comment", code: "duplicate_comment" }]);
  }
  const reason = spamReason(input);
  const iso = now.toISOString();
  const comment: CommentTable = {
    id: newId(),
    article_id: article.id,
    centre_id: article.centre_id,
    parent_id: null,
    author_name: input.name.trim(),
    author_email: input.email.trim() || null,
    body: input.body.replace(/\r\n/g, "\n").trim(),
    status: reason ? "spam" : "pending",
    lang: article.lang,
    ip_hash: ipHash,
    content_hash: contentHash,
    spam_reason: reason,
    source_key: null,
    moderated_by: null,
    moderated_at: null,
    created_at: iso,
    updated_at: iso,
    deleted_at: null,
  };
  await insertComment(db, comment);
  return { comment };
}

const ACTIONS: Record<string, CommentStatus> = {
  approve: "approved",
  reject: "rejected",
  spam: "spam",
  pending: "pending",
};

/** Approve, reject or mark as spam one or many comments; each must be on an article the actor moderates. */
export async function moderateComments(
  db: Executor,
  ids: string[],
  action: string,
  ctx: { actor: Actor; clock: Clock },
): Promise<number> {
  const status = ACTIONS[action];
  if (!status) throw new ValidationFailed([{ path: "/action", code: "invalid_choice" }]);
  if (ids.length === 0) throw new ValidationFailed([{ path: "/ids", code: "too_few", params: { limit: 1 } }]);
  const comments = await findCommentsByIds(db, ids);
  if (comments.length !== new Set(ids).size) throw new NotFound("comment");
  for (const c of comments) assertMay(mayModerate(ctx.actor, c.centre_id));
  const now = ctx.clock.now().toISOString();
  await setCommentStatus(db, ids, status, ctx.actor.kind === "staff" ? ctx.actor.id : null, now);
  for (const c of comments) {
    await recordAudit(
      db,
      ctx.actor,
      {
        action: `comment.${action}`,
        entity: "comment",
        entityId: c.id,
        centreId: c.centre_id,
        details: { from: c.status },
      },
      ctx.clock,
    );
  }
  bumpPortalVersion();
  return comments.length;
}
