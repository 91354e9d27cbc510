import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { Type } from "typebox";
import { DESK } from "../../identity/policy.ts";
import { errorResponses } from "../../server/apiSchemas.ts";
import { NotFound } from "../../server/errors.ts";
import { StringEnum } from "../../server/validation.ts";
import { listCommentQueue } from "../comments/queries.ts";
import { moderateComments, submitComment } from "../comments/submitComment.ts";
import { findArticleByShortId } from "../queries.ts";

/** Comments over the JSON API: a reader's comment, the moderation queue, bulk moderation. */
export async function commentApiRoutes(base: FastifyInstance) {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const { db, clock, secret } = app.deps;
  const staff = { staff: DESK };
  const ctx = (request: FastifyRequest) => ({ actor: request.actor(), clock });

  const CommentOut = Type.Object({ id: Type.String(), status: Type.String() });

  app.post(
    "/api/v1/articles/:short_id/comments",
    {
      config: { access: "public", rateLimit: { max: 10, timeWindow: "1 minute" } },
      schema: {
        tags: ["comments"],
        summary: "Leave a comment (held for moderation)",
        params: Type.Object({ short_id: Type.String({ pattern: "^[0-9a-z]{7}$" }) }),
        body: Type.Object({
          name: Type.String({ maxLength: 200 }),
          email: Type.String({ maxLength: 200, default: "" }),
          comment: Type.String({ maxLength: 10000 }),
        }),
        response: { 201: CommentOut, ...errorResponses },
      },
    },
    async (request, reply) => {
      const a = await findArticleByShortId(db, request.params.short_id);
      if (!a) throw new NotFound("article");
      const { comment } = await db.transaction().execute((trx) =>
        submitComment(
          trx,
          // No form here, so no fill time: the API relies on rate limits and moderation.
          {
            articleId: a.id,
            name: request.body.name,
            email: request.body.email,
            body: request.body.comment,
            honeypot: "",
            fillSeconds: 3600,
            ip: request.ip,
          },
          { clock, secret },
        ),
      );
      return reply.code(201).send({ id: comment.id, status: comment.status });
    },
  );

  app.get(
    "/api/v1/comments",
    {
      config: { access: staff },
      schema: {
        tags: ["comments"],
        summary: "The moderation queue",
        querystring: Type.Object({
          status: StringEnum(["pending", "approved", "rejected", "spam"] as const, { default: "pending" }),
          limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
          offset: Type.Integer({ minimum: 0, default: 0 }),
        }),
        response: {
          200: Type.Object({
            comments: Type.Array(
              Type.Object({
                id: Type.String(),
                article_id: Type.String(),
                article_title: Type.String(),
                author_name: Type.String(),
                body: Type.String(),
                status: Type.String(),
                spam_reason: Type.Union([Type.String(), Type.Null()]),
                created_at: Type.String(),
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const user = request.staff!.user;
      const rows = await listCommentQueue(db, {
        status: request.query.status,
        ...(user.role === "hq_admin" ? {} : { centreId: user.centre_id ?? "none" }),
        limit: request.query.limit,
        offset: request.query.offset,
      });
      return {
        comments: rows.map((c) => ({
          id: c.id,
          article_id: c.article_id,
          article_title: c.article_title,
          author_name: c.author_name,
          body: c.body,
          status: c.status,
          spam_reason: c.spam_reason,
          created_at: c.created_at,
        })),
      };
    },
  );

  app.post(
    "/api/v1/comments/moderate",
    {
      config: { access: staff },
      schema: {
        tags: ["comments"],
        summary: "Approve, reject, mark as spam or return to the queue, in bulk",
        body: Type.Object({
          ids: Type.Array(Type.String({ format: "uuid" }), { minItems: 1, maxItems: 200 }),
          action: StringEnum(["approve", "reject", "spam", "pending"] as const),
        }),
        response: { 200: Type.Object({ updated: Type.Integer() }), ...errorResponses },
      },
    },
    async (request) => ({
      updated: await db
        .transaction()
        .execute((trx) => moderateComments(trx, request.body.ids, request.body.action, ctx(request))),
    }),
  );
}
