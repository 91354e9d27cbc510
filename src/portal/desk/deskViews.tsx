// What the desk's routes render beside their own forms: the article edit page (with its
// revisions, translations and image), the form's choices, and the staff member's time zone.

import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { findCentreById, listCentres } from "../../centres/queries.ts";
import type { ArticleTable } from "../../db/schema.ts";
import { formatDate, translator } from "../../i18n/index.ts";
import { csrfOf } from "../../identity/routes.tsx";
import { sendPage } from "../../server/render.tsx";
import type { FieldErrors } from "../../ui/forms.tsx";
import { mayDraft, mayPublish, mayRestoreRevision } from "../policy.ts";
import { articleHref } from "../presenters.ts";
import {
  findArticlesByIds,
  findCategoryById,
  listCategories,
  listRecentPublished,
  listRevisions,
  listTranslations,
} from "../queries.ts";
import type { ArticleFormValues } from "./ArticleForm.tsx";
import { EditPage } from "./DeskPages.tsx";
import { suggestAlsoRead, valuesFromArticle } from "./formValues.ts";

export interface EditPageState {
  values?: ArticleFormValues;
  errors?: FieldErrors;
  imageErrors?: FieldErrors;
  translationErrors?: FieldErrors;
  flash?: string;
  status?: number;
}

export function deskViews(app: FastifyInstance) {
  const { db, config } = app.deps;

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
    state: EditPageState = {},
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

  return { timeZoneOf, formOptions, statusLabel, renderEdit };
}
