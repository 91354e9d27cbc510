import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { Type } from "typebox";
import { findCentreById } from "../../centres/queries.ts";
import { formatDate, translator } from "../../i18n/index.ts";
import { DESK, MANAGERS } from "../../identity/policy.ts";
import { csrfOf } from "../../identity/routes.tsx";
import { DomainError } from "../../server/errors.ts";
import { formErrors } from "../../server/forms.ts";
import { sendPage } from "../../server/render.tsx";
import { ensureCategories } from "../categories.ts";
import { resetMemberPin } from "../pin.ts";
import { eraseMember, revealCnic } from "../privacy.ts";
import { listCards } from "../queries.ts";
import { confirmMember, loadMemberFor } from "../register.ts";
import { MemberDetailPage } from "../views/MemberPages.tsx";
import {
  deskContext,
  FormBody,
  IdParams,
  type DetailForm,
  type DetailState,
  type RenderDetail,
} from "./deskContext.ts";

/** One member's page at the desk, with a form's field errors (or a flash) when there are any. */
export function detailRenderer(app: FastifyInstance): RenderDetail {
  const { db, clock } = app.deps;
  const { timeZone } = deskContext(app);
  return async (request, reply, id, state: DetailState = {}) => {
    const t = translator(request.locale);
    const m = await loadMemberFor(db, id, request.actor());
    const tz = await timeZone();
    const cats = await ensureCategories(db, m.centre_id, clock);
    const cat = cats.find((c) => c.id === m.category_id);
    const centre = await findCentreById(db, m.centre_id);
    const cards = await listCards(db, m.id);
    const live = cards.find((c) => c.serial === m.card_serial && !c.revoked_at);
    const facts = [
      { label: t("members.col_status"), value: t(`members.status_${m.status}`) },
      { label: t("label.full_name_ur"), value: m.full_name_ur ?? "—" },
      { label: t("label.full_name_en"), value: m.full_name_en ?? "—" },
      { label: t(`id_kind.${m.id_kind}`), value: m.cnic_masked ?? "—", ltr: true },
      { label: t("label.phone"), value: m.phone_e164 ?? "—", ltr: true },
      { label: t("label.date_of_birth"), value: m.date_of_birth ?? "—", ltr: true },
      { label: t("label.gender"), value: m.gender ?? "—" },
      { label: t("label.district"), value: m.district ?? "—" },
      { label: t("label.education"), value: m.education ? t(`education.${m.education as "none"}`) : "—" },
      { label: t("label.disability"), value: m.disability ?? "—" },
      {
        label: t("label.category_id"),
        value: cat ? (request.locale === "ur" ? cat.name_ur : cat.name_en) : "—",
      },
      {
        label: t("join.centre"),
        value: centre ? (request.locale === "ur" ? centre.name_ur : centre.name_en) : "—",
      },
      { label: t("members.col_registered"), value: formatDate(request.locale, m.created_at, tz, "datetime") },
    ];
    return sendPage(request, reply, {
      title: m.member_no,
      status: state.status ?? 200,
      flash: state.flash ? { kind: "ok", text: state.flash } : null,
      body: (
        <MemberDetailPage
          t={t}
          csrf={csrfOf(request)}
          id={m.id}
          number={m.member_no}
          pending={m.status === "pending"}
          facts={facts}
          // The photo's id in the address: a replaced photo is never taken from the browser's memory.
          photoSrc={m.photo_path ? `/staff/members/${m.id}/photo?v=${m.photo_path.slice(-12)}` : null}
          card={live ? { serial: live.serial, issued: formatDate(request.locale, live.issued_at, tz) } : null}
          canManage={MANAGERS.includes(request.staff!.user.role)}
          revealed={state.revealed ?? null}
          errors={state.errors ?? {}}
          errorsFor={state.errorsFor ?? null}
        />
      ),
    });
  };
}

/**
 * Runs a form action of the member's page; a domain error with fields comes back as that page
 * with the errors next to the form (null when the action went through).
 */
export async function detailAction(
  renderDetail: RenderDetail,
  request: FastifyRequest,
  reply: FastifyReply,
  id: string,
  form: DetailForm,
  action: () => Promise<unknown>,
): Promise<FastifyReply | null> {
  try {
    await action();
    return null;
  } catch (error) {
    if (!(error instanceof DomainError) || error.fields.length === 0) throw error;
    return renderDetail(request, reply, id, {
      errors: formErrors(request.locale, error.fields),
      errorsFor: form,
      status: error.status,
    });
  }
}

const DONE = ["registered", "updated", "confirmed", "pin", "photo_saved", "photo_removed"] as const;

export async function memberDetailRoutes(base: FastifyInstance): Promise<void> {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = app.deps;
  const desk = { staff: DESK };
  const managers = { staff: MANAGERS };
  const { ctx } = deskContext(app);
  const renderDetail = detailRenderer(app);

  app.get(
    "/staff/members/:id",
    {
      config: { access: desk },
      schema: {
        params: IdParams,
        querystring: Type.Object({ done: Type.Optional(Type.String({ maxLength: 20 })) }),
        hide: true,
      },
    },
    async (request, reply) => {
      const t = translator(request.locale);
      const done = request.query.done as (typeof DONE)[number] | undefined;
      let flash: string | undefined;
      if (done && DONE.includes(done)) {
        const m = await loadMemberFor(db, request.params.id, request.actor());
        flash =
          done === "pin"
            ? t("members.pin_reset")
            : done === "photo_saved" || done === "photo_removed"
              ? t(`members.${done}`)
              : t(`members.${done}`, { number: m.member_no });
      }
      return renderDetail(request, reply, request.params.id, flash ? { flash } : {});
    },
  );

  app.post(
    "/staff/members/:id/confirm",
    { config: { access: desk }, schema: { params: IdParams, body: FormBody, hide: true } },
    async (request, reply) => {
      await db.transaction().execute((trx) => confirmMember(trx, request.params.id, ctx(request)));
      return reply.redirect(`/staff/members/${request.params.id}?done=confirmed`, 303);
    },
  );

  app.post(
    "/staff/members/:id/pin",
    { config: { access: desk }, schema: { params: IdParams, body: FormBody, hide: true } },
    async (request, reply) => {
      const failed = await detailAction(renderDetail, request, reply, request.params.id, "pin", () =>
        db.transaction().execute((trx) => resetMemberPin(trx, request.params.id, request.body, ctx(request))),
      );
      return failed ?? reply.redirect(`/staff/members/${request.params.id}?done=pin`, 303);
    },
  );

  app.post(
    "/staff/members/:id/reveal",
    { config: { access: managers }, schema: { params: IdParams, body: FormBody, hide: true } },
    async (request, reply) => {
      let revealed = "";
      const failed = await detailAction(
        renderDetail,
        request,
        reply,
        request.params.id,
        "reveal",
        async () => {
          revealed = await db
            .transaction()
            .execute((trx) => revealCnic(trx, request.params.id, request.body, ctx(request)));
        },
      );
      if (failed) return failed;
      reply.header("cache-control", "no-store");
      return renderDetail(request, reply, request.params.id, { revealed });
    },
  );

  app.post(
    "/staff/members/:id/erase",
    { config: { access: managers }, schema: { params: IdParams, body: FormBody, hide: true } },
    async (request, reply) => {
      const m = await loadMemberFor(db, request.params.id, request.actor());
      const failed = await detailAction(renderDetail, request, reply, m.id, "erase", () =>
        db.transaction().execute((trx) => eraseMember(trx, m.id, request.body, ctx(request))),
      );
      if (failed) return failed;
      const t = translator(request.locale);
      return sendPage(request, reply, {
        title: t("members.title"),
        flash: { kind: "ok", text: t("members.erased", { number: m.member_no }) },
        body: (
          <p>
            <a href="/staff/members">{t("members.title")}</a>
          </p>
        ),
      });
    },
  );
}
