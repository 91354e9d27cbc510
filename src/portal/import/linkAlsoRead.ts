import { recordAudit } from "../../audit/recordAudit.ts";
import type { Executor } from "../../db/connect.ts";
import type { ArticleTable } from "../../db/schema.ts";
import { NotFound } from "../../server/errors.ts";
import { writeRevision, type Ctx } from "../articles/saveArticle.ts";
import { bumpPortalVersion } from "../contentVersion.ts";
import { assertMay, mayDraft, mayPublish } from "../policy.ts";
import { findArticleById, findArticlesByShortIds, updateArticleRow } from "../queries.ts";

/** ArticleInput's limit on also-read links. */
export const MAX_ALSO_READ = 6;

/**
 * Sets an imported article's also-read links once the articles they name exist (the importer's last
 * pass). Unknown short ids and the article itself are left out; nothing is written when nothing changes.
 * Unlike an edit, this leaves the article's content date alone: the text did not change.
 */
export async function linkAlsoRead(
  db: Executor,
  input: { articleId: string; shortIds: string[] },
  ctx: Ctx,
): Promise<ArticleTable> {
  const current = await findArticleById(db, input.articleId);
  if (!current) throw new NotFound("article");
  assertMay(current.status === "published" ? mayPublish(ctx.actor, current) : mayDraft(ctx.actor, current));
  const wanted = [...new Set(input.shortIds)].filter((s) => s !== current.short_id);
  const found = await findArticlesByShortIds(db, wanted);
  const ids = wanted
    .map((s) => found.find((a) => a.short_id === s)?.id)
    .filter((id): id is string => id !== undefined)
    .slice(0, MAX_ALSO_READ);
  const alsoRead = JSON.stringify(ids);
  if (alsoRead === current.also_read) return current;
  const changes = { also_read: alsoRead, updated_at: ctx.clock.now().toISOString() };
  await updateArticleRow(db, current.id, changes);
  const updated = { ...current, ...changes };
  const number = await writeRevision(db, updated, "also-read linked", ctx);
  await recordAudit(
    db,
    ctx.actor,
    {
      action: "article.updated",
      entity: "article",
      entityId: current.id,
      centreId: current.centre_id,
      details: { revision: number, also_read: ids.length },
    },
    ctx.clock,
  );
  bumpPortalVersion();
  return updated;
}
