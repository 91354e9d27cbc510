import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import { Type } from "typebox";
import type { CommentStatus } from "../../db/schema.ts";
import { formatDate, translator } from "../../i18n/index.ts";
import { csrfOf } from "../../identity/routes.tsx";
import { DESK } from "../../identity/policy.ts";
import { sendPage } from "../../server/render.tsx";
import { moderateComments } from "../comments/submitComment.ts";
import { listCommentQueue } from "../comments/queries.ts";
import { articleHref } from "../presenters.ts";
import { QueuePage } from "./DeskPages.tsx";

const STATUSES: CommentStatus[] = ["pending", "approved", "rejected", "spam"];
const ACTIONS_FOR: Record<CommentStatus, ("approve" | "reject" | "spam" | "pending")[]> = {
  pending: ["approve", "reject", "spam"],
  approved: ["reject", "spam", "pending"],
  rejected: ["approve", "pending"],
  spam: ["approve", "pending"],
};

/** The comment moderation queue: one list per status, bulk actions on the ticked ones. */
export async function moderationRoutes(base: FastifyInstance) {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const { db, clock, config } = app.deps;
  const access = { staff: DESK };

  app.get(
    "/staff/comments",
    {
      config: { access },
      schema: {
        querystring: Type.Object({
          status: Type.Union(
            STATUSES.map((s) => Type.Literal(s)),
            { default: "pending" },
          ),
          page: Type.Integer({ minimum: 1, maximum: 10000, default: 1 }),
          done: Type.Optional(Type.Integer({ minimum: 0 })),
        }),
      },
    },
    async (request, reply) => {
      const t = translator(request.locale);
      const user = request.staff!.user;
      const status = request.query.status as CommentStatus;
      const tz = (await app.currentCentre())?.time_zone ?? config.defaultTimeZone;
      const rows = await listCommentQueue(db, {
        status,
        ...(user.role === "hq_admin" ? {} : { centreId: user.centre_id ?? "none" }),
        limit: 100,
        offset: (request.query.page - 1) * 100,
      });
      return sendPage(request, reply, {
        title: t("mod.title"),
        flash:
          request.query.done !== undefined
            ? { kind: "ok", text: t("mod.done", { count: request.query.done }) }
            : null,
        body: (
          <QueuePage
            t={t}
            csrf={csrfOf(request)}
            tabs={STATUSES.map((s) => ({
              href: `/staff/comments?status=${s}`,
              label: t(`mod.status_${s}`),
              current: s === status,
            }))}
            actions={ACTIONS_FOR[status].map((a) => ({ value: a, label: t(`mod.${a}`) }))}
            items={rows.map((c) => ({
              id: c.id,
              name: c.author_name,
              email: c.author_email,
              when: formatDate(request.locale, c.created_at, tz, "datetime"),
              body: c.body,
              on: {
                title: c.article_title,
                href: articleHref({ short_id: c.article_short_id, slug: c.article_slug }, request.locale),
              },
              flagged: c.spam_reason,
            }))}
          />
        ),
      });
    },
  );

  app.post(
    "/staff/comments",
    { config: { access }, schema: { body: Type.Record(Type.String(), Type.Unknown()) } },
    async (request, reply) => {
      const body = request.body as Record<string, unknown>;
      const ids = (Array.isArray(body.ids) ? body.ids : body.ids ? [body.ids] : []).filter(
        (x): x is string => typeof x === "string",
      );
      const action = typeof body.action === "string" ? body.action : "";
      const count = await db
        .transaction()
        .execute((trx) => moderateComments(trx, ids, action, { actor: request.actor(), clock }));
      return reply.redirect(`/staff/comments?done=${count}`, 303);
    },
  );
}
