import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { translator } from "../../i18n/index.ts";
import { MANAGERS } from "../../identity/policy.ts";
import { csrfOf } from "../../identity/routes.tsx";
import { DomainError } from "../../server/errors.ts";
import { formErrors } from "../../server/forms.ts";
import { sendPage } from "../../server/render.tsx";
import type { FieldErrors } from "../../ui/forms.tsx";
import { addCategory, ensureCategories, updateCategory } from "../categories.ts";
import { retentionMonths, setRetentionMonths } from "../privacy.ts";
import { CategoriesPage } from "../views/MemberPages.tsx";
import { deskContext, FormBody, IdParams, strings } from "./deskContext.ts";

/** Member categories and the retention period: the manager's settings for their centre. */
export async function memberCategoryRoutes(base: FastifyInstance): Promise<void> {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const { db, clock } = app.deps;
  const managers = { staff: MANAGERS };
  const { ctx, workingCentreId } = deskContext(app);

  async function renderCategories(
    request: FastifyRequest,
    reply: FastifyReply,
    state: { errors?: FieldErrors; values?: Record<string, string>; status?: number; flash?: string } = {},
  ) {
    const t = translator(request.locale);
    const centreId = await workingCentreId(request);
    const cats = await ensureCategories(db, centreId, clock);
    return sendPage(request, reply, {
      title: t("members.categories_title"),
      status: state.status ?? 200,
      flash: state.flash ? { kind: "ok", text: state.flash } : null,
      body: (
        <CategoriesPage
          t={t}
          csrf={csrfOf(request)}
          categories={cats.map((c) => ({
            id: c.id,
            code: c.code,
            name_ur: c.name_ur,
            name_en: c.name_en,
            active: c.active === 1,
          }))}
          retentionMonths={await retentionMonths(db, centreId)}
          errors={state.errors ?? {}}
          values={state.values ?? {}}
        />
      ),
    });
  }

  app.get(
    "/staff/members/categories",
    { config: { access: managers }, schema: { hide: true } },
    (request, reply) => renderCategories(request, reply),
  );

  async function categoryAction(
    request: FastifyRequest,
    reply: FastifyReply,
    action: () => Promise<unknown>,
    flash: string,
  ) {
    try {
      await action();
      return renderCategories(request, reply, { flash });
    } catch (error) {
      if (!(error instanceof DomainError) || error.fields.length === 0) throw error;
      return renderCategories(request, reply, {
        errors: formErrors(request.locale, error.fields),
        values: strings(request.body as Record<string, unknown>),
        status: error.status,
      });
    }
  }

  app.post(
    "/staff/members/categories",
    { config: { access: managers }, schema: { body: FormBody, hide: true } },
    async (request, reply) => {
      const centreId = await workingCentreId(request);
      const t = translator(request.locale);
      return categoryAction(
        request,
        reply,
        () => db.transaction().execute((trx) => addCategory(trx, centreId, request.body, ctx(request))),
        t("members.category_saved"),
      );
    },
  );

  app.post(
    "/staff/members/categories/:id",
    { config: { access: managers }, schema: { params: IdParams, body: FormBody, hide: true } },
    async (request, reply) => {
      const t = translator(request.locale);
      return categoryAction(
        request,
        reply,
        () =>
          db
            .transaction()
            .execute((trx) => updateCategory(trx, request.params.id, request.body, ctx(request))),
        t("members.category_saved"),
      );
    },
  );

  app.post(
    "/staff/members/retention",
    { config: { access: managers }, schema: { body: FormBody, hide: true } },
    async (request, reply) => {
      const centreId = await workingCentreId(request);
      const t = translator(request.locale);
      return categoryAction(
        request,
        reply,
        () =>
          db.transaction().execute((trx) => setRetentionMonths(trx, centreId, request.body, ctx(request))),
        t("members.retention_saved"),
      );
    },
  );
}
