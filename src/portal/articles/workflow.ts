import { recordAudit } from "../../audit/recordAudit.ts";
import { systemActor } from "../../audit/actor.ts";
import type { Clock } from "../../db/clock.ts";
import type { Executor } from "../../db/connect.ts";
import type { ArticleTable } from "../../db/schema.ts";
import { Conflict, NotFound, ValidationFailed } from "../../server/errors.ts";
import { bumpPortalVersion } from "../contentVersion.ts";
import { syncArticleSearch } from "../searchDocument.ts";
import { renderBlocks } from "../markdown.ts";
import { assertMay, mayDraft, mayPublish, mayRestoreRevision } from "../policy.ts";
import {
  findArticleById,
  findArticleByShortId,
  findRevision,
  listDueScheduled,
  listTranslations,
  updateArticleRow,
} from "../queries.ts";
import { newId } from "../../db/ids.ts";
import { writeRevision, type Ctx } from "./saveArticle.ts";
import { SNAPSHOT_FIELDS, type Snapshot } from "./snapshot.ts";

async function load(db: Executor, id: string): Promise<ArticleTable> {
  const a = await findArticleById(db, id);
  if (!a) throw new NotFound("article");
  return a;
}

async function change(
  db: Executor,
  a: ArticleTable,
  changes: Partial<ArticleTable>,
  action: string,
  ctx: Ctx,
  details: Record<string, unknown> = {},
) {
  const updated = { ...a, ...changes, updated_at: ctx.clock.now().toISOString() };
  await updateArticleRow(db, a.id, { ...changes, updated_at: updated.updated_at });
  await recordAudit(
    db,
    ctx.actor,
    { action, entity: "article", entityId: a.id, centreId: a.centre_id, details },
    ctx.clock,
  );
  await syncArticleSearch(db, updated, ctx.clock);
  bumpPortalVersion();
  return updated;
}

/** draft → in review. */
export async function submitForReview(db: Executor, id: string, ctx: Ctx): Promise<ArticleTable> {
  const a = await load(db, id);
  assertMay(mayDraft(ctx.actor, a));
  if (a.status !== "draft") throw new Conflict("not_a_draft");
  return change(db, a, { status: "review" }, "article.submitted", ctx);
}

/**
 * Publishes now, or schedules for later when `at` is in the future. An article keeps its
 * first publication date when it is published again.
 */
export async function publishArticle(
  db: Executor,
  id: string,
  at: string | null,
  ctx: Ctx,
): Promise<ArticleTable> {
  const a = await load(db, id);
  assertMay(mayPublish(ctx.actor, a));
  if (a.image_path && !a.image_alt) throw new ValidationFailed([{ path: "/image_alt", code: "required" }]);
  const now = ctx.clock.now();
  if (at) {
    const when = new Date(at);
    if (Number.isNaN(when.getTime())) throw new ValidationFailed([{ path: "/at", code: "invalid_format" }]);
    if (when > now) {
      return change(
        db,
        a,
        { scheduled_at: when.toISOString(), status: a.status === "published" ? "draft" : a.status },
        "article.scheduled",
        ctx,
        { at: when.toISOString() },
      );
    }
  }
  const iso = now.toISOString();
  return change(
    db,
    a,
    {
      status: "published",
      published_at: a.published_at ?? iso,
      content_updated_at: a.published_at ? iso : (a.content_updated_at ?? iso),
      scheduled_at: null,
    },
    "article.published",
    ctx,
  );
}

export async function unpublishArticle(db: Executor, id: string, ctx: Ctx): Promise<ArticleTable> {
  const a = await load(db, id);
  assertMay(mayPublish(ctx.actor, a));
  return change(db, a, { status: "draft", scheduled_at: null }, "article.unpublished", ctx);
}

/** Publishes every scheduled article whose time has come; the server runs this every minute. */
export async function publishDueArticles(db: Executor, clock: Clock): Promise<ArticleTable[]> {
  const due = await listDueScheduled(db, clock.now().toISOString());
  const done: ArticleTable[] = [];
  for (const a of due) {
    const at = a.scheduled_at!;
    done.push(
      await change(
        db,
        a,
        {
          status: "published",
          published_at: a.published_at ?? at,
          content_updated_at: at,
          scheduled_at: null,
        },
        "article.published",
        { actor: systemActor, clock },
        { scheduled: at },
      ),
    );
  }
  return done;
}

/** Deleting leaves a tombstone, so the deletion syncs like any other change. */
export async function deleteArticle(db: Executor, id: string, ctx: Ctx): Promise<void> {
  const a = await load(db, id);
  assertMay(a.status === "published" ? mayPublish(ctx.actor, a) : mayDraft(ctx.actor, a));
  await change(db, a, { deleted_at: ctx.clock.now().toISOString() }, "article.deleted", ctx);
}

export async function restoreRevision(
  db: Executor,
  id: string,
  number: number,
  ctx: Ctx,
): Promise<ArticleTable> {
  const a = await load(db, id);
  assertMay(mayRestoreRevision(ctx.actor, a));
  const revision = await findRevision(db, id, number);
  if (!revision) throw new NotFound("revision");
  const snapshot = JSON.parse(revision.snapshot) as Snapshot;
  const changes: Partial<ArticleTable> = {};
  for (const f of SNAPSHOT_FIELDS) (changes as Record<string, unknown>)[f] = snapshot[f];
  changes.body_html = JSON.stringify(renderBlocks(snapshot.body_md));
  if (a.status === "published") changes.content_updated_at = ctx.clock.now().toISOString();
  const updated = await change(db, a, changes, "article.revision_restored", ctx, { from: number });
  await writeRevision(db, updated, `restored #${number}`, ctx);
  return updated;
}

/** Links two articles as translations of each other (different languages). */
export async function linkTranslation(
  db: Executor,
  id: string,
  otherShortId: string,
  ctx: Ctx,
): Promise<ArticleTable> {
  const a = await load(db, id);
  const b = await findArticleByShortId(db, otherShortId);
  if (!b) throw new ValidationFailed([{ path: "/translation", code: "unknown_article" }]);
  // Linking rewrites both articles: the actor needs rights over each.
  assertMay(mayDraft(ctx.actor, a) || mayPublish(ctx.actor, a));
  assertMay(mayDraft(ctx.actor, b) || mayPublish(ctx.actor, b));
  if (a.lang === b.lang) throw new ValidationFailed([{ path: "/translation", code: "same_language" }]);
  const group = a.translation_group ?? b.translation_group ?? newId();
  // One article per language in a group: earlier translations in either language leave it.
  const members = [
    ...(a.translation_group ? await listTranslations(db, a.translation_group) : []),
    ...(b.translation_group ? await listTranslations(db, b.translation_group) : []),
  ];
  for (const other of members) {
    if (other.id !== a.id && other.id !== b.id && (other.lang === a.lang || other.lang === b.lang)) {
      await updateArticleRow(db, other.id, { translation_group: null });
    }
  }
  await updateArticleRow(db, b.id, { translation_group: group, updated_at: ctx.clock.now().toISOString() });
  return change(db, a, { translation_group: group }, "article.translation_linked", ctx, { other: b.id });
}
