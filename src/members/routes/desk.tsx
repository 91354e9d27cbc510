import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { Type } from "typebox";
import type { MemberTable } from "../../db/schema.ts";
import { formatDate, translator, type Locale } from "../../i18n/index.ts";
import { DESK, MANAGERS } from "../../identity/policy.ts";
import { csrfOf } from "../../identity/routes.tsx";
import { DomainError } from "../../server/errors.ts";
import { formErrors } from "../../server/forms.ts";
import { sendPage } from "../../server/render.tsx";
import type { FieldErrors } from "../../ui/forms.tsx";
import { ensureCategories } from "../categories.ts";
import { parseCnic } from "../cnic.ts";
import { cnicHash, decryptField } from "../keys.ts";
import { findMemberByCnicHash, listMembers } from "../queries.ts";
import { loadMemberFor, registerMember, updateMember } from "../register.ts";
import { MemberForm } from "../views/MemberForm.tsx";
import { MemberListPage } from "../views/MemberPages.tsx";
import { memberKeys } from "./context.ts";
import { deskContext, FormBody, IdParams, strings } from "./deskContext.ts";

// The desk's member list, registration and edits. One member's page is in detail.tsx, the card
// in card.tsx, the photo in photo.tsx, categories and retention in categories.tsx.

const PER_PAGE = 50;

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
  const { db, clock } = app.deps;
  const desk = { staff: DESK };
  const { ctx, workingCentreId, timeZone } = deskContext(app);
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
}
