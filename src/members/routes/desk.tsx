import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import crypto from "node:crypto";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { renderToString } from "preact-render-to-string";
import { Type } from "typebox";
import { findCentreById } from "../../centres/queries.ts";
import type { MemberTable } from "../../db/schema.ts";
import { formatDate, translator, type Locale } from "../../i18n/index.ts";
import { DESK, MANAGERS } from "../../identity/policy.ts";
import { csrfOf } from "../../identity/routes.tsx";
import { DomainError, NotFound } from "../../server/errors.ts";
import { formErrors } from "../../server/forms.ts";
import { baseUrl, sendPage } from "../../server/render.tsx";
import type { FieldErrors } from "../../ui/forms.tsx";
import { code128Svg, qrSvg } from "../card/codes.ts";
import { renderPdf } from "../card/pdf.ts";
import { signMemberRef } from "../card/reference.ts";
import { issueCard } from "../cards.ts";
import { addCategory, ensureCategories, updateCategory } from "../categories.ts";
import { parseCnic } from "../cnic.ts";
import { cnicHash, decryptField } from "../keys.ts";
import { resetMemberPin } from "../pin.ts";
import { eraseMember, retentionMonths, revealCnic, setRetentionMonths } from "../privacy.ts";
import { findMemberByCnicHash, listCards, listMembers } from "../queries.ts";
import { confirmMember, loadMemberFor, registerMember, updateMember, type MemberCtx } from "../register.ts";
import { CARD_PRINT_JS, CardPage, cardStyleText } from "../views/CardPage.tsx";
import { MemberForm } from "../views/MemberForm.tsx";
import { CategoriesPage, MemberDetailPage, MemberListPage } from "../views/MemberPages.tsx";
import { memberKeys } from "./context.ts";

const PER_PAGE = 50;
const FormBody = Type.Record(Type.String(), Type.Unknown());
const IdParams = Type.Object({ id: Type.String({ format: "uuid" }) });
const CARD_JS_HASH = crypto.createHash("sha256").update(CARD_PRINT_JS).digest("hex").slice(0, 10);

function strings(body: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(body)) if (typeof v === "string") out[k] = v;
  return out;
}

export function memberValues(m: MemberTable): Record<string, string> {
  return {
    full_name_ur: m.full_name_ur ?? "",
    full_name_en: m.full_name_en ?? "",
    id_kind: m.id_kind,
    cnic: "",
    phone: m.phone_e164 ?? "",
    date_of_birth: m.date_of_birth ?? "",
    gender: m.gender ?? "",
    district: m.district ?? "",
    education: m.education ?? "",
    disability: m.disability ?? "",
    category_id: m.category_id ?? "",
  };
}

export async function deskMemberRoutes(base: FastifyInstance): Promise<void> {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const { db, clock, config, secret } = app.deps;
  const desk = { staff: DESK };
  const managers = { staff: MANAGERS };
  const ctx = (request: FastifyRequest): MemberCtx => ({
    actor: request.actor(),
    clock,
    keys: memberKeys(app),
  });
  /** The centre a desk member works for; headquarters registers for the centre this server runs. */
  async function workingCentreId(request: FastifyRequest): Promise<string> {
    const user = request.staff!.user;
    if (user.centre_id) return user.centre_id;
    const current = await app.currentCentre();
    if (!current) throw new NotFound("centre");
    return current.id;
  }
  async function timeZone(): Promise<string> {
    return (await app.currentCentre())?.time_zone ?? config.defaultTimeZone;
  }
  async function categoryOptions(centreId: string, locale: Locale) {
    const cats = await ensureCategories(db, centreId, clock);
    return cats
      .filter((c) => c.active === 1)
      .map((c) => ({ id: c.id, name: locale === "ur" ? c.name_ur : c.name_en }));
  }

  // ---- list and search ----------------------------------------------------------------------
  app.get(
    "/staff/members",
    {
      config: { access: desk },
      schema: {
        querystring: Type.Object({
          q: Type.String({ maxLength: 100, default: "" }),
          status: Type.Union([Type.Literal(""), Type.Literal("pending"), Type.Literal("active")], {
            default: "",
          }),
          page: Type.Integer({ minimum: 1, maximum: 10000, default: 1 }),
        }),
        hide: true,
      },
    },
    async (request, reply) => {
      const t = translator(request.locale);
      const user = request.staff!.user;
      const { q, status, page } = request.query;
      const centreId = user.role === "hq_admin" ? undefined : (user.centre_id ?? undefined);
      const text = q.trim();
      // A typed CNIC is looked up by its keyed hash; the number itself is never searched for.
      const cnic = parseCnic(text);
      let ids: string[] | undefined;
      if (cnic.ok) {
        const found = await findMemberByCnicHash(db, cnicHash(memberKeys(app), cnic.digits));
        ids = found ? [found.id] : [];
      }
      const rows = await listMembers(db, {
        centreId,
        status: status || undefined,
        text: cnic.ok ? undefined : text || undefined,
        ids,
        limit: PER_PAGE + 1,
        offset: (page - 1) * PER_PAGE,
      });
      const cats = new Map<string, string>();
      for (const cid of new Set(rows.map((r) => r.centre_id))) {
        for (const c of await ensureCategories(db, cid, clock))
          cats.set(c.id, request.locale === "ur" ? c.name_ur : c.name_en);
      }
      const tz = await timeZone();
      const link = (p: number) =>
        `/staff/members?${new URLSearchParams({ q, status, page: String(p) }).toString()}`;
      return sendPage(request, reply, {
        title: t("members.title"),
        body: (
          <MemberListPage
            t={t}
            q={q}
            status={status}
            canManage={MANAGERS.includes(user.role)}
            rows={rows.slice(0, PER_PAGE).map((m) => ({
              href: `/staff/members/${m.id}`,
              number: m.member_no,
              name:
                (request.locale === "ur"
                  ? m.full_name_ur || m.full_name_en
                  : m.full_name_en || m.full_name_ur) ?? "",
              cnic: m.cnic_masked ?? "",
              phone: m.phone_e164 ?? "",
              category: (m.category_id && cats.get(m.category_id)) || "",
              status: t(`members.status_${m.status}`),
              registered: formatDate(request.locale, m.created_at, tz),
            }))}
            previous={page > 1 ? link(page - 1) : null}
            next={rows.length > PER_PAGE ? link(page + 1) : null}
          />
        ),
      });
    },
  );

  // ---- register and edit ----------------------------------------------------------------------
  async function renderForm(
    request: FastifyRequest,
    reply: FastifyReply,
    opts: {
      member?: MemberTable;
      values: Record<string, string>;
      errors: FieldErrors;
      status?: number;
      duplicate?: boolean;
    },
  ) {
    const t = translator(request.locale);
    const centreId = opts.member?.centre_id ?? (await workingCentreId(request));
    const editing = !!opts.member;
    return sendPage(request, reply, {
      title: editing ? t("members.edit_title", { number: opts.member!.member_no }) : t("members.new_title"),
      status: opts.status ?? 200,
      body: (
        <section>
          <h1>
            {editing ? t("members.edit_title", { number: opts.member!.member_no }) : t("members.new_title")}
          </h1>
          <MemberForm
            t={t}
            locale={request.locale}
            action={editing ? `/staff/members/${opts.member!.id}/edit` : "/staff/members/new"}
            csrf={csrfOf(request)}
            submitLabel={editing ? t("members.save") : t("members.register_submit")}
            values={opts.values}
            errors={opts.errors}
            categories={await categoryOptions(centreId, request.locale)}
            mode={editing ? "edit" : "desk-new"}
            offerNotDuplicate={!!opts.duplicate}
          />
        </section>
      ),
    });
  }

  app.get(
    "/staff/members/new",
    { config: { access: desk }, schema: { hide: true } },
    async (request, reply) => {
      const cats = await categoryOptions(await workingCentreId(request), request.locale);
      return renderForm(request, reply, {
        values: { category_id: cats[0]?.id ?? "", id_kind: "cnic" },
        errors: {},
      });
    },
  );

  app.post(
    "/staff/members/new",
    { config: { access: desk }, schema: { body: FormBody, hide: true } },
    async (request, reply) => {
      const body = request.body;
      try {
        const centreId = await workingCentreId(request);
        const m = await db.transaction().execute((trx) => registerMember(trx, centreId, body, ctx(request)));
        return reply.redirect(`/staff/members/${m.id}?done=registered`, 303);
      } catch (error) {
        if (!(error instanceof DomainError) || error.fields.length === 0) throw error;
        const values = strings(body);
        delete values.pin;
        delete values.pin_again;
        return renderForm(request, reply, {
          values,
          errors: formErrors(request.locale, error.fields),
          status: error.status,
          duplicate: error.code === "possible_duplicate",
        });
      }
    },
  );

  app.get(
    "/staff/members/:id/edit",
    { config: { access: desk }, schema: { params: IdParams, hide: true } },
    async (request, reply) => {
      const m = await loadMemberFor(db, request.params.id, request.actor());
      return renderForm(request, reply, { member: m, values: memberValues(m), errors: {} });
    },
  );

  app.post(
    "/staff/members/:id/edit",
    { config: { access: desk }, schema: { params: IdParams, body: FormBody, hide: true } },
    async (request, reply) => {
      const m = await loadMemberFor(db, request.params.id, request.actor());
      const body = request.body;
      // An edit that leaves the CNIC box empty keeps the number on record.
      if (!body.cnic || body.cnic === "") {
        body.cnic = decryptField(memberKeys(app), m.cnic_enc ?? "");
      }
      try {
        await db.transaction().execute((trx) => updateMember(trx, m.id, body, ctx(request)));
        return reply.redirect(`/staff/members/${m.id}?done=updated`, 303);
      } catch (error) {
        if (!(error instanceof DomainError) || error.fields.length === 0) throw error;
        return renderForm(request, reply, {
          member: m,
          values: { ...strings(body), cnic: "" },
          errors: formErrors(request.locale, error.fields),
          status: error.status,
          duplicate: error.code === "possible_duplicate",
        });
      }
    },
  );

  // ---- one member -------------------------------------------------------------------------
  async function renderDetail(
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    state: {
      revealed?: string;
      errors?: FieldErrors;
      errorsFor?: "pin" | "reveal" | "erase";
      flash?: string;
      status?: number;
    } = {},
  ) {
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
          card={live ? { serial: live.serial, issued: formatDate(request.locale, live.issued_at, tz) } : null}
          canManage={MANAGERS.includes(request.staff!.user.role)}
          revealed={state.revealed ?? null}
          errors={state.errors ?? {}}
          errorsFor={state.errorsFor ?? null}
        />
      ),
    });
  }

  const DONE = ["registered", "updated", "confirmed", "pin"] as const;
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
        flash = done === "pin" ? t("members.pin_reset") : t(`members.${done}`, { number: m.member_no });
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

  /** Runs a form action on the detail page, showing its field errors next to that form. */
  async function detailAction(
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    form: "pin" | "reveal" | "erase",
    action: () => Promise<void>,
  ) {
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

  app.post(
    "/staff/members/:id/pin",
    { config: { access: desk }, schema: { params: IdParams, body: FormBody, hide: true } },
    async (request, reply) => {
      const failed = await detailAction(request, reply, request.params.id, "pin", () =>
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
      const failed = await detailAction(request, reply, request.params.id, "reveal", async () => {
        revealed = await db
          .transaction()
          .execute((trx) => revealCnic(trx, request.params.id, request.body, ctx(request)));
      });
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
      const failed = await detailAction(request, reply, m.id, "erase", () =>
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

  // ---- cards ------------------------------------------------------------------------------
  app.post(
    "/staff/members/:id/card",
    { config: { access: desk }, schema: { params: IdParams, body: FormBody, hide: true } },
    async (request, reply) => {
      const reason = typeof request.body.reason === "string" ? request.body.reason : "";
      await db.transaction().execute((trx) => issueCard(trx, request.params.id, reason, ctx(request)));
      return reply.redirect(`/staff/members/${request.params.id}/card?print=1`, 303);
    },
  );

  app.get(
    "/staff/members/card.js",
    { config: { access: desk }, schema: { hide: true } },
    async (_request, reply) => {
      reply.header("cache-control", "private, max-age=86400").type("text/javascript; charset=utf-8");
      return CARD_PRINT_JS;
    },
  );

  app.get(
    "/staff/members/:id/card",
    {
      config: { access: desk },
      schema: {
        params: IdParams,
        querystring: Type.Object({ print: Type.Optional(Type.String({ maxLength: 2 })) }),
        hide: true,
      },
    },
    async (request, reply) => {
      const t = translator(request.locale);
      const m = await loadMemberFor(db, request.params.id, request.actor());
      if (m.card_serial === 0 || m.status !== "active") return reply.redirect(`/staff/members/${m.id}`, 303);
      const centre = await findCentreById(db, m.centre_id);
      const cat = (await ensureCategories(db, m.centre_id, clock)).find((c) => c.id === m.category_id);
      const card = (await listCards(db, m.id)).find((c) => c.serial === m.card_serial);
      const ref = signMemberRef(secret, m.member_no, m.card_serial);
      const props = {
        locale: request.locale,
        css: "",
        fontUrduUrl: app.assets.urls.fontUrdu,
        fontLatinUrl: app.assets.urls.fontLatin,
        centreNameUr: centre?.name_ur ?? "",
        centreNameEn: centre?.name_en ?? "",
        memberNo: m.member_no,
        fullNameUr: m.full_name_ur,
        fullNameEn: m.full_name_en,
        categoryUr: cat?.name_ur ?? "",
        categoryEn: cat?.name_en ?? "",
        issued: formatDate(request.locale, card?.issued_at ?? m.updated_at, await timeZone()),
        photoUrl: null,
        qrSvg: await qrSvg(ref),
        barcodeSvg: code128Svg(ref),
        autoPrint: request.query.print === "1",
        printScriptUrl: `/staff/members/card.js?v=${CARD_JS_HASH}`,
        backHref: `/staff/members/${m.id}`,
        labels: { print: t("members.card_print"), back: t("members.card_back") },
      };
      const styleHash = crypto.createHash("sha256").update(cardStyleText(props)).digest("base64");
      reply.header(
        "content-security-policy",
        `default-src 'self'; script-src 'self'; style-src 'self' 'sha256-${styleHash}'; img-src 'self' data:; font-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'`,
      );
      reply.header("cache-control", "no-store").type("text/html; charset=utf-8");
      return `<!doctype html>${renderToString(<CardPage {...props} />)}`;
    },
  );

  app.get(
    "/staff/members/:id/card.pdf",
    { config: { access: desk }, schema: { params: IdParams, hide: true } },
    async (request, reply) => {
      const t = translator(request.locale);
      const m = await loadMemberFor(db, request.params.id, request.actor());
      if (m.card_serial === 0) return reply.redirect(`/staff/members/${m.id}`, 303);
      const token = request.cookies.rasai_staff ?? "";
      const url = new URL(`/staff/members/${m.id}/card`, baseUrl(request));
      const pdf = await renderPdf(url.toString(), {
        cookie: { name: "rasai_staff", value: token, domain: url.hostname },
      });
      if (!pdf) {
        return sendPage(request, reply, {
          title: t("members.card"),
          status: 503,
          flash: { kind: "bad", text: t("members.card_no_pdf") },
          body: (
            <p>
              <a href={`/staff/members/${m.id}/card`}>{t("members.card_open")}</a>
            </p>
          ),
        });
      }
      reply.header("cache-control", "no-store");
      reply.header("content-disposition", `attachment; filename="card-${m.member_no}.pdf"`);
      return reply.type("application/pdf").send(pdf);
    },
  );

  // ---- categories and retention (managers) --------------------------------------------------
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
