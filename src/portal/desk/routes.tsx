import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { Type } from "typebox";
import { findCentreById, listCentres } from "../../centres/queries.ts";
import { formatDate, translator } from "../../i18n/index.ts";
import { zonedLocalToUtc } from "../../i18n/zonedTime.ts";
import { csrfOf } from "../../identity/routes.tsx";
import { DESK } from "../../identity/policy.ts";
import { DomainError, ValidationFailed } from "../../server/errors.ts";
import { formErrors, tryForm } from "../../server/forms.ts";
import { sendPage } from "../../server/render.tsx";
import type { FieldErrors } from "../../ui/forms.tsx";
import { attachLeadImage } from "../articles/attachImage.ts";
import { createArticle, updateArticle } from "../articles/saveArticle.ts";
import {
  deleteArticle,
  linkTranslation,
  publishArticle,
  submitForReview,
  unpublishArticle,
} from "../articles/workflow.ts";
import { listDeskArticles } from "../queries.ts";
import { ArticleForm, type ArticleFormValues } from "./ArticleForm.tsx";
import { DeskList } from "./DeskPages.tsx";
import { inputFromValues } from "./formValues.ts";
import { deskViews } from "./deskViews.tsx";
import { moderationRoutes } from "./moderation.tsx";
import { revisionRoutes } from "./revisions.tsx";
import { loadDeskArticle } from "./loadDeskArticle.ts";

const IdParams = Type.Object({ id: Type.String({ format: "uuid" }) });
const FormBody = Type.Record(Type.String(), Type.Unknown());

function strings(body: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries((body ?? {}) as Record<string, unknown>))
    if (typeof v === "string") out[k] = v;
  return out;
}

export async function deskRoutes(base: FastifyInstance) {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const { db, clock, config } = app.deps;
  const access = { staff: DESK };

  const { timeZoneOf, formOptions, statusLabel, renderEdit } = deskViews(app);

  const loadForDesk = (request: FastifyRequest, id: string) => loadDeskArticle(db, request, id);

  app.get(
    "/staff/articles",
    {
      config: { access },
      schema: {
        querystring: Type.Object({
          status: Type.Optional(
            Type.Union([Type.Literal("draft"), Type.Literal("review"), Type.Literal("published")]),
          ),
          page: Type.Integer({ minimum: 1, maximum: 10000, default: 1 }),
        }),
      },
    },
    async (request, reply) => {
      const t = translator(request.locale);
      const user = request.staff!.user;
      const tz = await timeZoneOf(request);
      const rows = await listDeskArticles(db, {
        ...(user.role === "hq_admin" ? {} : { centreId: user.centre_id ?? undefined }),
        ...(request.query.status ? { status: request.query.status } : {}),
        limit: 50,
        offset: (request.query.page - 1) * 50,
      });
      const centres = new Map((await listCentres(db)).map((c) => [c.id, c.code]));
      const filters = [undefined, "draft", "review", "published"] as const;
      return sendPage(request, reply, {
        title: t("desk.articles"),
        body: (
          <DeskList
            t={t}
            newHref="/staff/articles/new"
            filters={filters.map((s) => ({
              href: s ? `/staff/articles?status=${s}` : "/staff/articles",
              label: s ? statusLabel(t, s) : t("desk.all"),
              current: request.query.status === s,
            }))}
            rows={rows.map((a) => ({
              href: `/staff/articles/${a.id}`,
              title: a.title,
              lang: a.lang,
              kind: t(`kind.${a.kind}`),
              status: statusLabel(t, a.status) + (a.scheduled_at ? " ⏲" : ""),
              centre: a.centre_id ? (centres.get(a.centre_id) ?? "") : t("desk.national"),
              updated: formatDate(request.locale, a.updated_at, tz, "datetime"),
            }))}
          />
        ),
      });
    },
  );

  const renderNew = async (
    request: FastifyRequest,
    reply: FastifyReply,
    values: ArticleFormValues,
    errors: FieldErrors,
  ) => {
    const t = translator(request.locale);
    return sendPage(request, reply, {
      title: t("desk.new"),
      status: Object.keys(errors).length ? 400 : 200,
      body: (
        <section>
          <h1>{t("desk.new")}</h1>
          <ArticleForm
            t={t}
            action="/staff/articles"
            csrf={csrfOf(request)}
            values={values}
            errors={errors}
            suggestions={[]}
            {...await formOptions(request)}
          />
        </section>
      ),
    });
  };

  app.get("/staff/articles/new", { config: { access } }, async (request, reply) => {
    const user = request.staff!.user;
    const own = user.centre_id ? await findCentreById(db, user.centre_id) : undefined;
    return renderNew(
      request,
      reply,
      { lang: "ur", kind: "news", centre: own?.code ?? "national", also_read_after: "2", comments_open: "1" },
      {},
    );
  });

  app.post("/staff/articles", { config: { access }, schema: { body: FormBody } }, async (request, reply) => {
    const values = strings(request.body);
    const tz = await timeZoneOf(request);
    const result = await tryForm(request.locale, () =>
      db
        .transaction()
        .execute((trx) => createArticle(trx, inputFromValues(values, tz), { actor: request.actor(), clock })),
    );
    if (!result.ok) return renderNew(request, reply, values, result.errors);
    return reply.redirect(`/staff/articles/${result.value.id}?done=created`, 303);
  });

  const DONE = [
    "created",
    "saved",
    "submitted",
    "published",
    "scheduled",
    "unpublished",
    "image",
    "translation",
    "restored",
  ] as const;
  app.get(
    "/staff/articles/:id",
    {
      config: { access },
      schema: { params: IdParams, querystring: Type.Object({ done: Type.Optional(Type.String()) }) },
    },
    async (request, reply) => {
      const a = await loadForDesk(request, request.params.id);
      const t = translator(request.locale);
      const done = DONE.find((d) => d === request.query.done);
      const flashKey =
        done === "created"
          ? "desk.created"
          : done === "saved"
            ? "desk.saved"
            : done === "image"
              ? "desk.image_saved"
              : done === "translation"
                ? "desk.translation_linked"
                : done === "restored"
                  ? "desk.restored"
                  : done
                    ? (`desk.done_${done}` as const)
                    : null;
      return renderEdit(request, reply, a, flashKey ? { flash: t(flashKey) } : {});
    },
  );

  app.post(
    "/staff/articles/:id",
    { config: { access }, schema: { params: IdParams, body: FormBody } },
    async (request, reply) => {
      const a = await loadForDesk(request, request.params.id);
      const values = strings(request.body);
      const tz = await timeZoneOf(request);
      const result = await tryForm(request.locale, () =>
        db
          .transaction()
          .execute((trx) =>
            updateArticle(trx, a.id, inputFromValues(values, tz), { actor: request.actor(), clock }),
          ),
      );
      if (!result.ok) return renderEdit(request, reply, a, { values, errors: result.errors });
      return reply.redirect(`/staff/articles/${a.id}?done=saved`, 303);
    },
  );

  app.post(
    "/staff/articles/:id/workflow",
    { config: { access }, schema: { params: IdParams, body: FormBody } },
    async (request, reply) => {
      const a = await loadForDesk(request, request.params.id);
      const body = strings(request.body);
      const ctx = { actor: request.actor(), clock };
      const tz = await timeZoneOf(request);
      switch (body.action) {
        case "submit":
          await db.transaction().execute((trx) => submitForReview(trx, a.id, ctx));
          return reply.redirect(`/staff/articles/${a.id}?done=submitted`, 303);
        case "publish":
          await db.transaction().execute((trx) => publishArticle(trx, a.id, null, ctx));
          return reply.redirect(`/staff/articles/${a.id}?done=published`, 303);
        case "schedule": {
          const at = zonedLocalToUtc(body.at ?? "", tz);
          if (!at) throw new ValidationFailed([{ path: "/at", code: "invalid_format" }]);
          const done = await db
            .transaction()
            .execute((trx) => publishArticle(trx, a.id, at.toISOString(), ctx));
          return reply.redirect(
            `/staff/articles/${a.id}?done=${done.status === "published" ? "published" : "scheduled"}`,
            303,
          );
        }
        case "unpublish":
          await db.transaction().execute((trx) => unpublishArticle(trx, a.id, ctx));
          return reply.redirect(`/staff/articles/${a.id}?done=unpublished`, 303);
        case "delete":
          await db.transaction().execute((trx) => deleteArticle(trx, a.id, ctx));
          return reply.redirect(`/staff/articles`, 303);
        default:
          throw new ValidationFailed([{ path: "/action", code: "invalid_choice" }]);
      }
    },
  );

  app.post(
    "/staff/articles/:id/image",
    { config: { access }, schema: { params: IdParams } },
    async (request, reply) => {
      const a = await loadForDesk(request, request.params.id);
      const body = (request.body ?? {}) as Record<string, unknown>;
      const bytes = Buffer.isBuffer(body.image) ? body.image : null;
      const alt = typeof body.image_alt === "string" ? body.image_alt : "";
      try {
        if (!bytes || bytes.length === 0) throw new ValidationFailed([{ path: "/image", code: "required" }]);
        await db
          .transaction()
          .execute((trx) =>
            attachLeadImage(
              trx,
              { articleId: a.id, bytes, alt, dataDir: config.dataDir },
              { actor: request.actor(), clock },
            ),
          );
      } catch (error) {
        if (error instanceof DomainError && error.fields.length) {
          return renderEdit(request, reply, a, {
            imageErrors: formErrors(request.locale, error.fields),
            status: 400,
          });
        }
        throw error;
      }
      return reply.redirect(`/staff/articles/${a.id}?done=image`, 303);
    },
  );

  app.post(
    "/staff/articles/:id/translation",
    { config: { access }, schema: { params: IdParams, body: FormBody } },
    async (request, reply) => {
      const a = await loadForDesk(request, request.params.id);
      const other = (strings(request.body).translation ?? "").trim().toLowerCase();
      const result = await tryForm(request.locale, () =>
        db
          .transaction()
          .execute((trx) => linkTranslation(trx, a.id, other, { actor: request.actor(), clock })),
      );
      if (!result.ok) return renderEdit(request, reply, a, { translationErrors: result.errors, status: 400 });
      return reply.redirect(`/staff/articles/${a.id}?done=translation`, 303);
    },
  );

  await revisionRoutes(app);
  await moderationRoutes(app);
}
