import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { Type } from "typebox";
import type { ArticleTable } from "../../db/schema.ts";
import { DESK } from "../../identity/policy.ts";
import { errorResponses } from "../../server/apiSchemas.ts";
import { NotFound, ValidationFailed } from "../../server/errors.ts";
import { StringEnum } from "../../server/validation.ts";
import { attachLeadImage } from "../articles/attachImage.ts";
import { createArticle, updateArticle } from "../articles/saveArticle.ts";
import {
  deleteArticle,
  linkTranslation,
  publishArticle,
  restoreRevision,
  submitForReview,
  unpublishArticle,
} from "../articles/workflow.ts";
import { assertMay, mayViewOnDesk } from "../policy.ts";
import { canonicalHref } from "../presenters.ts";
import {
  findArticleById,
  findArticlesByIds,
  findCategoryById,
  listDeskArticles,
  listPublishedArticles,
  listRevisions,
  listTranslations,
} from "../queries.ts";
import { ArticleDetail, ArticleInput, ArticleSummary } from "../schemas.ts";

const IdParams = Type.Object({ id: Type.String({ format: "uuid" }) });
const tags = ["articles"];

function summary(a: ArticleTable) {
  return {
    id: a.id,
    short_id: a.short_id,
    url: canonicalHref(a),
    lang: a.lang,
    kind: a.kind,
    status: a.status,
    title: a.title,
    strap: a.strap,
    centre_id: a.centre_id,
    published_at: a.published_at,
    scheduled_at: a.scheduled_at,
    updated_at: a.updated_at,
  };
}

export async function portalApiRoutes(base: FastifyInstance) {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const { db, clock, config } = app.deps;
  const staff = { staff: DESK };
  const ctx = (request: FastifyRequest) => ({ actor: request.actor(), clock });

  async function detail(a: ArticleTable) {
    const category = a.category_id ? await findCategoryById(db, a.category_id) : undefined;
    const also = await findArticlesByIds(db, JSON.parse(a.also_read) as string[]);
    const translations = a.translation_group
      ? (await listTranslations(db, a.translation_group)).filter((x) => x.id !== a.id)
      : [];
    return {
      ...summary(a),
      body: a.body_md,
      slug: a.slug,
      category: category?.slug ?? null,
      tags: JSON.parse(a.tags) as string[],
      also_read: (JSON.parse(a.also_read) as string[])
        .map((id) => also.find((x) => x.id === id)?.short_id)
        .filter((x): x is string => !!x),
      also_read_after: a.also_read_after,
      image: a.image_path
        ? {
            url: `/media/${a.image_path}`,
            alt: a.image_alt ?? "",
            caption: a.image_caption,
            width: a.image_width ?? 0,
            height: a.image_height ?? 0,
          }
        : null,
      byline: a.byline,
      expires_at: a.expires_at,
      view_count: a.view_count,
      translations: translations.map((x) => ({ lang: x.lang, short_id: x.short_id, url: canonicalHref(x) })),
      comments_open: a.comments_open === 1,
    };
  }

  async function loadForStaff(request: FastifyRequest, id: string) {
    const a = await findArticleById(db, id);
    if (!a) throw new NotFound("article");
    assertMay(mayViewOnDesk(request.actor(), a));
    return a;
  }

  app.get(
    "/api/v1/articles",
    {
      config: { access: "public" },
      schema: {
        tags,
        summary: "Published articles, newest first (staff may ask for other statuses)",
        querystring: Type.Object({
          lang: StringEnum(["ur", "en"] as const, { default: "ur" }),
          kind: Type.Optional(StringEnum(["news", "notice", "guide"] as const)),
          status: Type.Optional(StringEnum(["draft", "review", "published"] as const)),
          limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
          offset: Type.Integer({ minimum: 0, maximum: 100000, default: 0 }),
        }),
        response: { 200: Type.Object({ articles: Type.Array(ArticleSummary) }), ...errorResponses },
      },
    },
    async (request) => {
      const q = request.query;
      const user = request.staff?.user;
      if (q.status && q.status !== "published") {
        if (!user || !DESK.includes(user.role))
          throw new ValidationFailed([{ path: "/status", code: "invalid_choice" }]);
        const rows = await listDeskArticles(db, {
          ...(user.role === "hq_admin" ? {} : { centreId: user.centre_id ?? undefined }),
          status: q.status,
          limit: q.limit,
          offset: q.offset,
        });
        return { articles: rows.map(summary) };
      }
      const centre = config.mode === "centre" ? await app.currentCentre() : undefined;
      const rows = await listPublishedArticles(db, {
        lang: q.lang,
        ...(centre ? { centreId: centre.id } : {}),
        ...(q.kind ? { kinds: [q.kind] } : {}),
        now: clock.now().toISOString(),
        limit: q.limit,
        offset: q.offset,
      });
      return { articles: rows.map(summary) };
    },
  );

  app.get(
    "/api/v1/articles/:id",
    {
      config: { access: "public" },
      schema: {
        tags,
        summary: "One article (drafts only for staff who may see them)",
        params: IdParams,
        response: { 200: ArticleDetail, ...errorResponses },
      },
    },
    async (request) => {
      const a = await findArticleById(db, request.params.id);
      if (!a) throw new NotFound("article");
      if (a.status !== "published" || (a.published_at ?? "") > clock.now().toISOString()) {
        if (!request.staff || !mayViewOnDesk(request.actor(), a)) throw new NotFound("article");
      }
      return detail(a);
    },
  );

  app.post(
    "/api/v1/articles",
    {
      config: { access: staff },
      schema: {
        tags,
        summary: "Create a draft",
        body: ArticleInput,
        response: { 201: ArticleDetail, ...errorResponses },
      },
    },
    async (request, reply) => {
      const a = await db.transaction().execute((trx) => createArticle(trx, request.body, ctx(request)));
      return reply.code(201).send(await detail(a));
    },
  );

  app.put(
    "/api/v1/articles/:id",
    {
      config: { access: staff },
      schema: {
        tags,
        summary: "Save an edit (adds a revision)",
        params: IdParams,
        body: ArticleInput,
        response: { 200: ArticleDetail, ...errorResponses },
      },
    },
    async (request) =>
      detail(
        await db
          .transaction()
          .execute((trx) => updateArticle(trx, request.params.id, request.body, ctx(request))),
      ),
  );

  app.delete(
    "/api/v1/articles/:id",
    {
      config: { access: staff },
      schema: {
        tags,
        summary: "Delete (a tombstone that syncs)",
        params: IdParams,
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await db.transaction().execute((trx) => deleteArticle(trx, request.params.id, ctx(request)));
      return reply.code(204).send(null);
    },
  );

  app.post(
    "/api/v1/articles/:id/submit",
    {
      config: { access: staff },
      schema: {
        tags,
        summary: "Send a draft for review",
        params: IdParams,
        response: { 200: ArticleDetail, ...errorResponses },
      },
    },
    async (request) =>
      detail(await db.transaction().execute((trx) => submitForReview(trx, request.params.id, ctx(request)))),
  );

  app.post(
    "/api/v1/articles/:id/publish",
    {
      config: { access: staff },
      schema: {
        tags,
        summary: "Publish now, or schedule when `at` is in the future",
        params: IdParams,
        body: Type.Object(
          { at: Type.Optional(Type.Union([Type.String({ format: "date-time" }), Type.Null()])) },
          { additionalProperties: false },
        ),
        response: { 200: ArticleDetail, ...errorResponses },
      },
      // "Publish now" needs no body at all.
      preValidation: async (request) => {
        request.body ??= {};
      },
    },
    async (request) =>
      detail(
        await db
          .transaction()
          .execute((trx) => publishArticle(trx, request.params.id, request.body?.at ?? null, ctx(request))),
      ),
  );

  app.post(
    "/api/v1/articles/:id/unpublish",
    {
      config: { access: staff },
      schema: {
        tags,
        summary: "Take an article off the site (back to draft)",
        params: IdParams,
        response: { 200: ArticleDetail, ...errorResponses },
      },
    },
    async (request) =>
      detail(await db.transaction().execute((trx) => unpublishArticle(trx, request.params.id, ctx(request)))),
  );

  app.post(
    "/api/v1/articles/:id/translation",
    {
      config: { access: staff },
      schema: {
        tags,
        summary: "Link the article's translation",
        params: IdParams,
        body: Type.Object({ short_id: Type.String({ pattern: "^[0-9a-z]{7}$" }) }),
        response: { 200: ArticleDetail, ...errorResponses },
      },
    },
    async (request) =>
      detail(
        await db
          .transaction()
          .execute((trx) => linkTranslation(trx, request.params.id, request.body.short_id, ctx(request))),
      ),
  );

  app.post(
    "/api/v1/articles/:id/image",
    {
      config: { access: staff },
      schema: {
        tags,
        summary:
          "Upload the lead image (multipart: image, image_alt, _csrf — the token from /api/v1/auth/me)",
        params: IdParams,
        consumes: ["multipart/form-data"],
        response: { 200: ArticleDetail, ...errorResponses },
      },
    },
    async (request) => {
      const body = (request.body ?? {}) as Record<string, unknown>;
      if (!Buffer.isBuffer(body.image)) throw new ValidationFailed([{ path: "/image", code: "required" }]);
      const alt = typeof body.image_alt === "string" ? body.image_alt : "";
      return detail(
        await db
          .transaction()
          .execute((trx) =>
            attachLeadImage(
              trx,
              { articleId: request.params.id, bytes: body.image as Buffer, alt, dataDir: config.dataDir },
              ctx(request),
            ),
          ),
      );
    },
  );

  app.get(
    "/api/v1/articles/:id/revisions",
    {
      config: { access: staff },
      schema: {
        tags,
        summary: "Revisions, newest first",
        params: IdParams,
        response: {
          200: Type.Object({
            revisions: Type.Array(
              Type.Object({
                number: Type.Integer(),
                note: Type.String(),
                author: Type.String(),
                created_at: Type.String(),
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      await loadForStaff(request, request.params.id);
      const rows = await listRevisions(db, request.params.id);
      return {
        revisions: rows.map((r) => ({
          number: r.number,
          note: r.note,
          author: r.author_name,
          created_at: r.created_at,
        })),
      };
    },
  );

  app.post(
    "/api/v1/articles/:id/revisions/:n/restore",
    {
      config: { access: staff },
      schema: {
        tags,
        summary: "Restore a revision",
        params: Type.Object({ id: Type.String({ format: "uuid" }), n: Type.Integer({ minimum: 1 }) }),
        response: { 200: ArticleDetail, ...errorResponses },
      },
    },
    async (request) =>
      detail(
        await db
          .transaction()
          .execute((trx) => restoreRevision(trx, request.params.id, request.params.n, ctx(request))),
      ),
  );
}
