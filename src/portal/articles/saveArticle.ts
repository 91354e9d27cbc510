import type { Actor } from "../../audit/actor.ts";
import { recordAudit } from "../../audit/recordAudit.ts";
import { findCentreByCode } from "../../centres/queries.ts";
import type { Clock } from "../../db/clock.ts";
import type { Executor } from "../../db/connect.ts";
import { newId } from "../../db/ids.ts";
import type { ArticleTable } from "../../db/schema.ts";
import { NotFound, ValidationFailed, type FieldProblem } from "../../server/errors.ts";
import { checkInput } from "../../server/validation.ts";
import { syncArticleSearch } from "../searchDocument.ts";
import { bumpPortalVersion } from "../contentVersion.ts";
import { renderBlocks } from "../markdown.ts";
import { assertMay, mayDraft, mayPublish } from "../policy.ts";
import {
  findArticleById,
  findArticleByShortId,
  findArticlesByShortIds,
  findCategoryBySlug,
  insertArticle,
  insertRevision,
  lastRevisionNumber,
  updateArticleRow,
} from "../queries.ts";
import { ArticleInput } from "../schemas.ts";
import { newShortId, slugify } from "../slugs.ts";
import { snapshotOf } from "./snapshot.ts";

export interface Ctx {
  actor: Actor;
  clock: Clock;
}

export function actorId(actor: Actor): string | null {
  return actor.kind === "staff" ? actor.id : null;
}

export function actorName(actor: Actor): string {
  return "name" in actor ? actor.name : "anonymous";
}

/** Image fields set by the upload step, not by the form. */
export interface ImageFields {
  image_path: string | null;
  image_width: number | null;
  image_height: number | null;
  image_variants: string;
}

async function resolveFields(db: Executor, raw: unknown, ctx: Ctx, current?: ArticleTable) {
  const { value: input, problems } = checkInput(ArticleInput, raw);
  const more: FieldProblem[] = [];

  let centreId: string | null;
  if (input.centre === undefined || input.centre === "") {
    centreId = current ? current.centre_id : ctx.actor.kind === "staff" ? ctx.actor.centreId : null;
  } else if (input.centre === "national") {
    centreId = null;
  } else {
    const centre = await findCentreByCode(db, input.centre);
    if (!centre) more.push({ path: "/centre", code: "unknown_centre" });
    centreId = centre?.id ?? null;
  }

  let categoryId: string | null = null;
  if (input.category) {
    const category = await findCategoryBySlug(db, input.category);
    if (!category) more.push({ path: "/category", code: "invalid_choice" });
    categoryId = category?.id ?? null;
  }

  const wanted = [...new Set(input.also_read ?? [])];
  const found = await findArticlesByShortIds(db, wanted);
  if (found.length !== wanted.length) more.push({ path: "/also_read", code: "unknown_article" });
  if (current && found.some((a) => a.id === current.id)) more.push({ path: "/also_read", code: "self_link" });

  if (input.kind === "notice" && !input.expires_at) more.push({ path: "/expires_at", code: "required" });
  const hasImage = !!current?.image_path;
  if (hasImage && !input.image_alt?.trim()) more.push({ path: "/image_alt", code: "required" });
  if (input.title !== undefined && !input.title.trim()) more.push({ path: "/title", code: "required" });
  if (input.body !== undefined && !input.body.trim()) more.push({ path: "/body", code: "required" });

  const all = [...problems, ...more];
  if (all.length) throw new ValidationFailed(all);

  const slug = slugify(input.slug?.trim() || input.title) || "article";
  return {
    input,
    fields: {
      centre_id: centreId,
      lang: input.lang,
      kind: input.kind,
      title: input.title.trim(),
      strap: input.strap.trim(),
      body_md: input.body.replace(/\r\n/g, "\n").trim(),
      body_html: JSON.stringify(renderBlocks(input.body)),
      slug,
      category_id: categoryId,
      tags: JSON.stringify([...new Set(input.tags.map((t) => t.trim()).filter(Boolean))]),
      also_read: JSON.stringify(wanted.map((s) => found.find((a) => a.short_id === s)!.id)),
      also_read_after: input.also_read_after,
      image_alt: input.image_alt?.trim() || null,
      image_caption: input.image_caption?.trim() || null,
      byline: input.byline?.trim() || null,
      expires_at: input.expires_at ? new Date(input.expires_at).toISOString() : null,
      comments_open: input.comments_open ? 1 : 0,
    },
  };
}

export async function writeRevision(
  db: Executor,
  article: ArticleTable,
  note: string,
  ctx: Ctx,
): Promise<number> {
  const number = (await lastRevisionNumber(db, article.id)) + 1;
  const now = ctx.clock.now().toISOString();
  await insertRevision(db, {
    id: newId(),
    article_id: article.id,
    centre_id: article.centre_id,
    number,
    snapshot: JSON.stringify(snapshotOf(article)),
    author_id: actorId(ctx.actor),
    author_name: actorName(ctx.actor),
    note,
    created_at: now,
    updated_at: now,
    deleted_at: null,
  });
  return number;
}

async function uniqueShortId(db: Executor): Promise<string> {
  for (let i = 0; i < 10; i++) {
    const id = newShortId();
    if (!(await findArticleByShortId(db, id))) return id;
  }
  throw new Error("could not find a free short id");
}

/** A new draft (or an imported, already published article when `publish` is given by the importer). */
export async function createArticle(
  db: Executor,
  raw: unknown,
  ctx: Ctx,
  extra: Partial<Pick<ArticleTable, "status" | "published_at" | "view_count" | "source_key" | "created_at">> &
    Partial<ImageFields> = {},
): Promise<ArticleTable> {
  const { fields } = await resolveFields(db, raw, ctx);
  const target = {
    centre_id: fields.centre_id,
    kind: fields.kind,
    status: "draft" as const,
    author_id: actorId(ctx.actor),
  };
  assertMay(mayDraft(ctx.actor, target));
  if (extra.status === "published") assertMay(mayPublish(ctx.actor, target));
  const now = ctx.clock.now().toISOString();
  const row: ArticleTable = {
    id: newId(),
    short_id: await uniqueShortId(db),
    ...fields,
    status: extra.status ?? "draft",
    image_path: extra.image_path ?? null,
    image_width: extra.image_width ?? null,
    image_height: extra.image_height ?? null,
    image_variants: extra.image_variants ?? "[]",
    view_count: extra.view_count ?? 0,
    published_at: extra.published_at ?? null,
    scheduled_at: null,
    content_updated_at: extra.published_at ?? null,
    translation_group: null,
    author_id: actorId(ctx.actor),
    source_key: extra.source_key ?? null,
    created_at: extra.created_at ?? now,
    updated_at: now,
    deleted_at: null,
  };
  await insertArticle(db, row);
  await writeRevision(db, row, "created", ctx);
  await recordAudit(
    db,
    ctx.actor,
    {
      action: "article.created",
      entity: "article",
      entityId: row.id,
      centreId: row.centre_id,
      details: { title: row.title, status: row.status },
    },
    ctx.clock,
  );
  await syncArticleSearch(db, row, ctx.clock);
  bumpPortalVersion();
  return row;
}

/** Saves an edit. Published articles need publishing rights; the article stays as it is otherwise. */
export async function updateArticle(db: Executor, id: string, raw: unknown, ctx: Ctx): Promise<ArticleTable> {
  const current = await findArticleById(db, id);
  if (!current) throw new NotFound("article");
  assertMay(current.status === "published" ? mayPublish(ctx.actor, current) : mayDraft(ctx.actor, current));
  const { fields } = await resolveFields(db, raw, ctx, current);
  // Moving an article between centres (or to national) is headquarters' call.
  if (fields.centre_id !== current.centre_id) {
    assertMay(
      mayPublish(ctx.actor, { ...current, centre_id: fields.centre_id }) && mayPublish(ctx.actor, current),
    );
  }
  const now = ctx.clock.now().toISOString();
  const changes = {
    ...fields,
    updated_at: now,
    ...(current.status === "published" ? { content_updated_at: now } : {}),
  };
  await updateArticleRow(db, id, changes);
  const updated = { ...current, ...changes };
  const number = await writeRevision(db, updated, "edited", ctx);
  await recordAudit(
    db,
    ctx.actor,
    {
      action: "article.updated",
      entity: "article",
      entityId: id,
      centreId: updated.centre_id,
      details: { revision: number },
    },
    ctx.clock,
  );
  await syncArticleSearch(db, updated, ctx.clock);
  bumpPortalVersion();
  return updated;
}

/** Records a processed lead image on the article. */
export async function setArticleImage(
  db: Executor,
  id: string,
  image: ImageFields & { image_alt: string },
  ctx: Ctx,
): Promise<ArticleTable> {
  const current = await findArticleById(db, id);
  if (!current) throw new NotFound("article");
  assertMay(current.status === "published" ? mayPublish(ctx.actor, current) : mayDraft(ctx.actor, current));
  if (!image.image_alt.trim()) throw new ValidationFailed([{ path: "/image_alt", code: "required" }]);
  const now = ctx.clock.now().toISOString();
  const changes = { ...image, image_alt: image.image_alt.trim(), updated_at: now };
  await updateArticleRow(db, id, changes);
  const updated = { ...current, ...changes };
  await writeRevision(db, updated, "image", ctx);
  await recordAudit(
    db,
    ctx.actor,
    { action: "article.image_set", entity: "article", entityId: id, centreId: current.centre_id },
    ctx.clock,
  );
  await syncArticleSearch(db, updated, ctx.clock);
  bumpPortalVersion();
  return updated;
}
