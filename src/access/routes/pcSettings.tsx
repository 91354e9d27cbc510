// The manager's PC settings (/staff/pcs/settings): the PC register and kiosk agent tokens,
// allowances per member category and for guests, bans, and printed guest passes.

import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { Type } from "typebox";
import { formatDate, translator } from "../../i18n/index.ts";
import { MANAGERS } from "../../identity/policy.ts";
import { csrfOf } from "../../identity/routes.tsx";
import { ensureCategories } from "../../members/categories.ts";
import { asciiDigits } from "../../members/memberInput.ts";
import { findMemberById, findMemberByNumber } from "../../members/queries.ts";
import { DomainError, NotFound, ValidationFailed } from "../../server/errors.ts";
import { formErrors } from "../../server/forms.ts";
import { sendPage } from "../../server/render.tsx";
import type { AccessCtx } from "../context.ts";
import { addPc, agentToken, banMember, issueGuestPasses, renewAgentToken, setRule } from "../pcs.ts";
import { findBan, listActiveBans, listPcs, liftBan, listRules } from "../queries.ts";
import { DEFAULT_ALLOWANCE } from "../rules.ts";
import { PcSettingsPage } from "../views/PcSettingsPage.tsx";
import { formValues, staffCentreId } from "./helpers.ts";
import { FormBody, IdParams } from "./schemas.ts";

export async function pcSettingsRoutes(base: FastifyInstance): Promise<void> {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const { db, clock, secret, config } = app.deps;
  const managers = { staff: MANAGERS };
  const ctx = (request: FastifyRequest): AccessCtx => ({ actor: request.actor(), clock });

  async function renderSettings(
    request: FastifyRequest,
    reply: FastifyReply,
    state: {
      errors?: Record<string, string>;
      values?: Record<string, string>;
      token?: { pc: string; token: string };
      passes?: { codes: string[]; text: string };
      flash?: string;
      status?: number;
    } = {},
  ) {
    const t = translator(request.locale);
    const centreId = await staffCentreId(app, request);
    const tz = (await app.currentCentre())?.time_zone ?? config.defaultTimeZone;
    const pcs = await listPcs(db, centreId);
    const cats = await ensureCategories(db, centreId, clock);
    const rules = await listRules(db, centreId);
    const ruleOf = (categoryId: string | null) =>
      rules.find((r) => r.category_id === categoryId) ?? DEFAULT_ALLOWANCE;
    const bans = await listActiveBans(db, centreId, clock.now().toISOString());
    const banRows = [];
    for (const b of bans) {
      const m = await findMemberById(db, b.member_id);
      banRows.push({ id: b.id, member: m?.member_no ?? "?", until: b.until.slice(0, 10), note: b.note });
    }
    reply.header("cache-control", "no-store");
    return sendPage(request, reply, {
      title: t("pcs.settings"),
      status: state.status ?? 200,
      flash: state.flash ? { kind: "ok", text: state.flash } : null,
      body: (
        <PcSettingsPage
          t={t}
          csrf={csrfOf(request)}
          pcs={pcs.map((p) => ({
            id: p.id,
            name: p.name,
            room: t(`pcs.room_${p.room}`),
            seen: p.agent_seen_at
              ? t("pcs.agent_seen", { date: formatDate(request.locale, p.agent_seen_at, tz, "datetime") })
              : t("pcs.agent_never"),
          }))}
          token={state.token ?? null}
          rules={[
            ...cats.map((c) => {
              const r = ruleOf(c.id);
              return {
                key: c.id,
                label: request.locale === "ur" ? c.name_ur : c.name_en,
                daily: r.daily_minutes,
                weekly: r.weekly_minutes,
                session: r.session_minutes,
              };
            }),
            (() => {
              const r = ruleOf(null);
              return {
                key: "guest",
                label: t("pcs.guests"),
                daily: r.daily_minutes,
                weekly: r.weekly_minutes,
                session: r.session_minutes,
              };
            })(),
          ]}
          bans={banRows}
          passes={state.passes ?? null}
          errors={state.errors ?? {}}
          values={state.values ?? {}}
        />
      ),
    });
  }

  async function settingsAct(
    request: FastifyRequest,
    reply: FastifyReply,
    action: () => Promise<Parameters<typeof renderSettings>[2]>,
  ) {
    try {
      return renderSettings(request, reply, await action());
    } catch (error) {
      if (!(error instanceof DomainError) || error.fields.length === 0) throw error;
      return renderSettings(request, reply, {
        errors: formErrors(request.locale, error.fields),
        values: formValues(request.body),
        status: error.status,
      });
    }
  }

  app.get("/staff/pcs/settings", { config: { access: managers }, schema: { hide: true } }, (request, reply) =>
    renderSettings(request, reply),
  );

  app.post(
    "/staff/pcs",
    { config: { access: managers }, schema: { body: FormBody, hide: true } },
    (request, reply) =>
      settingsAct(request, reply, async () => {
        const centreId = await staffCentreId(app, request);
        const pc = await db.transaction().execute((trx) => addPc(trx, centreId, request.body, ctx(request)));
        return { token: { pc: pc.name, token: agentToken(secret, pc) } };
      }),
  );

  app.post(
    "/staff/pcs/:id/token",
    { config: { access: managers }, schema: { params: IdParams, body: FormBody, hide: true } },
    (request, reply) =>
      settingsAct(request, reply, async () => {
        const pc = await db
          .transaction()
          .execute((trx) => renewAgentToken(trx, request.params.id, ctx(request)));
        return { token: { pc: pc.name, token: agentToken(secret, pc) } };
      }),
  );

  app.post(
    "/staff/pcs/rules/:key",
    {
      config: { access: managers },
      schema: { params: Type.Object({ key: Type.String({ maxLength: 40 }) }), body: FormBody, hide: true },
    },
    (request, reply) =>
      settingsAct(request, reply, async () => {
        const centreId = await staffCentreId(app, request);
        const key = request.params.key;
        const cats = await ensureCategories(db, centreId, clock);
        if (key !== "guest" && !cats.some((c) => c.id === key)) throw new NotFound("member_category");
        await db
          .transaction()
          .execute((trx) => setRule(trx, centreId, key === "guest" ? null : key, request.body, ctx(request)));
        return { flash: translator(request.locale)("pcs.saved") };
      }),
  );

  app.post(
    "/staff/pcs/bans",
    { config: { access: managers }, schema: { body: FormBody, hide: true } },
    (request, reply) =>
      settingsAct(request, reply, async () => {
        const centreId = await staffCentreId(app, request);
        // Typed on a phone or an Urdu keyboard the number may carry Urdu digits (as at the desk).
        const number =
          typeof request.body.member === "string"
            ? asciiDigits(request.body.member).trim().toUpperCase()
            : "";
        const found = number ? await findMemberByNumber(db, number) : undefined;
        // An erased member is nobody any more: there is no one to ban.
        const m = found && found.status !== "erased" ? found : undefined;
        if (!m)
          throw new ValidationFailed([{ path: "/member", code: number ? "member_not_found" : "required" }]);
        await db.transaction().execute((trx) => banMember(trx, centreId, m.id, request.body, ctx(request)));
        return { flash: translator(request.locale)("pcs.saved") };
      }),
  );

  app.post(
    "/staff/pcs/bans/:id/lift",
    { config: { access: managers }, schema: { params: IdParams, body: FormBody, hide: true } },
    (request, reply) =>
      settingsAct(request, reply, async () => {
        const centreId = await staffCentreId(app, request);
        const ban = await findBan(db, request.params.id);
        if (!ban || ban.centre_id !== centreId) throw new NotFound();
        await liftBan(db, ban.id, clock.now().toISOString());
        return { flash: translator(request.locale)("pcs.saved") };
      }),
  );

  app.post(
    "/staff/pcs/passes",
    { config: { access: managers }, schema: { body: FormBody, hide: true } },
    (request, reply) =>
      settingsAct(request, reply, async () => {
        const t = translator(request.locale);
        const centreId = await staffCentreId(app, request);
        const tz = (await app.currentCentre())?.time_zone ?? config.defaultTimeZone;
        const issued = await db
          .transaction()
          .execute((trx) => issueGuestPasses(trx, centreId, request.body, ctx(request)));
        return {
          passes: {
            codes: issued.codes,
            text: t("pcs.passes_issued", {
              count: issued.codes.length,
              minutes: issued.minutes,
              date: formatDate(request.locale, issued.validUntil, tz),
            }),
          },
        };
      }),
  );
}
