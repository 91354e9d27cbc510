import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { Type } from "typebox";
import { translator } from "../i18n/index.ts";
import { csrfOf } from "../identity/routes.tsx";
import { MANAGERS } from "../identity/policy.ts";
import { errorResponses } from "../server/apiSchemas.ts";
import { Forbidden } from "../server/errors.ts";
import { formErrors, tryForm } from "../server/forms.ts";
import { sendPage } from "../server/render.tsx";
import { listCentres } from "./queries.ts";
import { createCentre, getCentre, updateCentre } from "./saveCentre.ts";
import { CentreCode, CentreCreate, CentreUpdate, CentreView } from "./schemas.ts";
import {
  centreUpdateFromForm,
  formPath,
  formValuesFromCentre,
  type CentreFormValues,
} from "./settingsForm.ts";
import { SettingsPage } from "./views/SettingsPage.tsx";
import { presentCentre } from "./presenters.ts";
import { listHoursExceptions } from "./queries.ts";
import { canActForCentre } from "../identity/policy.ts";

export async function centreRoutes(base: FastifyInstance) {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const { db, clock } = app.deps;
  const CodeParams = Type.Object({ code: CentreCode });

  app.get(
    "/api/v1/centres",
    {
      config: { access: "public" },
      schema: {
        tags: ["centres"],
        summary: "All centres",
        response: { 200: Type.Object({ centres: Type.Array(CentreView) }) },
      },
    },
    async () => {
      const rows = await listCentres(db);
      return {
        centres: await Promise.all(
          rows.map(async (r) => presentCentre(r, await listHoursExceptions(db, r.id))),
        ),
      };
    },
  );

  app.get(
    "/api/v1/centres/:code",
    {
      config: { access: "public" },
      schema: {
        tags: ["centres"],
        summary: "One centre",
        params: CodeParams,
        response: { 200: CentreView, ...errorResponses },
      },
    },
    async (request) => getCentre(db, request.params.code),
  );

  app.post(
    "/api/v1/centres",
    {
      config: { access: { staff: ["hq_admin"] } },
      schema: {
        tags: ["centres"],
        summary: "Open a centre (headquarters)",
        body: CentreCreate,
        response: { 201: CentreView, ...errorResponses },
      },
    },
    async (request, reply) => {
      const centre = await db
        .transaction()
        .execute((trx) => createCentre(trx, request.body, { actor: request.actor(), clock }));
      return reply.code(201).send(centre);
    },
  );

  app.patch(
    "/api/v1/centres/:code",
    {
      config: { access: { staff: MANAGERS } },
      schema: {
        tags: ["centres"],
        summary: "Change a centre's settings (its manager, or headquarters)",
        params: CodeParams,
        body: CentreUpdate,
        response: { 200: CentreView, ...errorResponses },
      },
    },
    async (request) => {
      const centre = await db
        .transaction()
        .execute((trx) =>
          updateCentre(trx, request.params.code, request.body, { actor: request.actor(), clock }),
        );
      app.forgetCurrentCentre();
      return centre;
    },
  );

  // Pages: the manager's settings form.
  app.get("/staff/centre", { config: { access: { staff: MANAGERS } } }, async (request, reply) => {
    const user = request.staff!.user;
    const own = user.centre_id
      ? (await listCentres(db)).find((c) => c.id === user.centre_id)
      : await app.currentCentre();
    if (own) return reply.redirect(`/staff/centres/${encodeURIComponent(own.code)}`, 303);
    const first = (await listCentres(db))[0];
    if (first) return reply.redirect(`/staff/centres/${encodeURIComponent(first.code)}`, 303);
    const t = translator(request.locale);
    return sendPage(request, reply, {
      title: t("centre.settings"),
      body: <p class="notice">{t("centre.none")}</p>,
    });
  });

  const renderSettings = (
    request: FastifyRequest,
    reply: FastifyReply,
    code: string,
    values: CentreFormValues,
    errors: Record<string, string>,
    saved: boolean,
  ) => {
    const t = translator(request.locale);
    return sendPage(request, reply, {
      title: t("centre.settings"),
      status: Object.keys(errors).length ? 400 : 200,
      flash: saved ? { kind: "ok", text: t("centre.saved") } : null,
      body: <SettingsPage t={t} csrf={csrfOf(request)} code={code} values={values} errors={errors} />,
    });
  };

  app.get(
    "/staff/centres/:code",
    { config: { access: { staff: MANAGERS } }, schema: { params: CodeParams } },
    async (request, reply) => {
      const centre = await getCentre(db, request.params.code);
      if (!canActForCentre(request.actor(), centre.id)) throw new Forbidden("other_centre");
      return renderSettings(request, reply, centre.code, formValuesFromCentre(centre), {}, false);
    },
  );

  app.post(
    "/staff/centres/:code",
    {
      config: { access: { staff: MANAGERS } },
      schema: { params: CodeParams, body: Type.Record(Type.String(), Type.String()) },
    },
    async (request, reply) => {
      const values = request.body as CentreFormValues;
      const result = await tryForm(request.locale, () =>
        db.transaction().execute((trx) =>
          updateCentre(trx, request.params.code, centreUpdateFromForm(values), {
            actor: request.actor(),
            clock,
          }),
        ),
      );
      if (!result.ok) {
        return renderSettings(
          request,
          reply,
          request.params.code,
          values,
          formErrors(request.locale, result.error.fields.map(formPath)),
          false,
        );
      }
      app.forgetCurrentCentre();
      return renderSettings(request, reply, result.value.code, formValuesFromCentre(result.value), {}, true);
    },
  );
}
