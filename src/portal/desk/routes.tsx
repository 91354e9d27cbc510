import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { Type } from "typebox";
import { findCentreById, listCentres } from "../../centres/queries.ts";
import type { ArticleTable } from "../../db/schema.ts";
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
import { mayDraft, mayPublish, mayRestoreRevision } from "../policy.ts";
import { articleHref } from "../presenters.ts";
import {
  findArticlesByIds,
  findCategoryById,
  listCategories,
  listDeskArticles,
  listRecentPublished,
  listRevisions,
  listTranslations,
} from "../queries.ts";
import { ArticleForm, type ArticleFormValues } from "./ArticleForm.tsx";
import { DeskList, EditPage } from "./DeskPages.tsx";
import { inputFromValues, suggestAlsoRead, valuesFromArticle } from "./formValues.ts";
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

  const timeZoneOf = async (request: FastifyRequest) => {
    const id = request.staff?.user.centre_id;
    return (
      (id ? (await findCentreById(db, id))?.time_zone : undefined) ??
      (await app.currentCentre())?.time_zone ??
      config.defaultTimeZone
    );
  };

  async function formOptions(request: FastifyRequest) {
    const t = translator(request.locale);
    const user = request.staff!.user;
    const centres = await listCentres(db);
    const own = centres.filter((c) => user.role === "hq_admin" || c.id === user.centre_id);
    return {
      centres: [
        ...own.map((c) => ({ value: c.code, label: request.locale === "ur" ? c.name_ur : c.name_en })),
        ...(user.role === "hq_admin" ? [{ value: "national", label: t("desk.national") }] : []),
      ],
      categories: (await listCategories(db)).map((c) => ({
        value: c.slug,
        label: request.locale === "ur" ? c.name_ur : c.name_en,
      })),
    };
  }

  async function formValuesOf(a: ArticleTable, tz: string): Promise<ArticleFormValues> {
    const centre = a.centre_id ? await findCentreById(db, a.centre_id) : undefined;
    const category = a.category_id ? await findCategoryById(db, a.category_id) : undefined;
    const also = await findArticlesByIds(db, JSON.parse(a.also_read) as string[]);
    const order = JSON.parse(a.also_read) as string[];
    return valuesFromArticle(
      a,
      {
        centreCode: centre?.code ?? "national",
        categorySlug: category?.slug ?? "",
        alsoRead: order.map((id) => also.find((x) => x.id === id)?.short_id ?? "").filter(Boolean),
      },
      tz,
    );
  }

  const statusLabel = (t: ReturnType<typeof translator>, s: ArticleTable["status"]) => t(`desk.status_${s}`);

  async function renderEdit(
    request: FastifyRequest,
    reply: FastifyReply,
    a: ArticleTable,
    state: {
      values?: ArticleFormValues;
      errors?: FieldErrors;
      imageErrors?: FieldErrors;
      translationErrors?: FieldErrors;
      flash?: string;
      status?: number;
    } = {},
  ) {
    const t = translator(request.locale);
    const actor = request.actor();
    const tz = await timeZoneOf(request);
    const values = state.values ?? (await formValuesOf(a, tz));
    const recent = await listRecentPublished(db, a.lang, 200);
    const translations = a.translation_group
      ? (await listTranslations(db, a.translation_group)).filter((x) => x.id !== a.id)
      : [];
    const revisions = await listRevisions(db, a.id);
    const baseUrl = `/staff/articles/${a.id}`;
    return sendPage(request, reply, {
      title: t("desk.edit"),
      status: state.status ?? (state.errors && Object.keys(state.errors).length ? 400 : 200),
      flash: state.flash ? { kind: "ok", text: state.flash } : null,
      body: (
        <EditPage
          t={t}
          heading={a.title}
          csrf={csrfOf(request)}
          base={baseUrl}
          status={statusLabel(t, a.status)}
          shortId={a.short_id}
          publicHref={a.status === "published" ? articleHref(a, request.locale) : null}
          scheduled={
            a.scheduled_at
              ? t("desk.scheduled_for", { date: formatDate(request.locale, a.scheduled_at, tz, "datetime") })
              : null
          }
          can={{
            submit: a.status === "draft" && mayDraft(actor, a),
            publish: mayPublish(actor, a),
            restore: mayRestoreRevision(actor, a),
            delete: a.status === "published" ? mayPublish(actor, a) : mayDraft(actor, a),
          }}
          imageErrors={state.imageErrors ?? {}}
          image={a.image_path ? { src: `/media/${a.image_path}`, alt: a.image_alt ?? "" } : null}
          translationErrors={state.translationErrors ?? {}}
          translations={translations.map((x) => ({
            label: `${x.lang}: ${x.title}`,
            href: `/staff/articles/${x.id}`,
          }))}
          revisions={revisions.map((r) => ({
            n: r.number,
            label: `${t("desk.revision", { n: r.number })} — ${r.note} — ${r.author_name}`,
            when: formatDate(request.locale, r.created_at, tz, "datetime"),
            href: `${baseUrl}/revisions/${r.number}`,
          }))}
          form={{
            t,
            action: baseUrl,
            csrf: csrfOf(request),
            values,
            errors: state.errors ?? {},
            ...(await formOptions(request)),
            suggestions: suggestAlsoRead(
              { id: a.id, title: values.title ?? a.title, tags: (values.tags ?? "").split(",") },
              recent,
            ),
          }}
        />
      ),
    });
  }

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
