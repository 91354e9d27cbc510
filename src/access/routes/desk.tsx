import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { ServerResponse } from "node:http";
import { renderToString } from "preact-render-to-string";
import { Type } from "typebox";
import type { MemberTable } from "../../db/schema.ts";
import { formatDate, translator } from "../../i18n/index.ts";
import { DESK, MANAGERS } from "../../identity/policy.ts";
import { csrfOf } from "../../identity/routes.tsx";
import { memberByCard } from "../../members/cards.ts";
import { ensureCategories } from "../../members/categories.ts";
import { findMemberById, findMemberByNumber } from "../../members/queries.ts";
import { errorBody } from "../../server/errorHandler.tsx";
import { DomainError, NotFound, ValidationFailed } from "../../server/errors.ts";
import { formErrors } from "../../server/forms.ts";
import { sendPage } from "../../server/render.tsx";
import { onPcsChanged } from "../events.ts";
import { pcGrid } from "../grid.ts";
import {
  addPc,
  agentToken,
  banMember,
  issueGuestPasses,
  loadPcFor,
  renewAgentToken,
  sendPcMessage,
  setOutOfOrder,
  setRule,
} from "../pcs.ts";
import {
  findBan,
  findPcByName,
  findSession,
  listActiveBans,
  listPcs,
  liftBan,
  listRules,
} from "../queries.ts";
import { DEFAULT_ALLOWANCE } from "../rules.ts";
import {
  endSession,
  extendSession,
  moveSession,
  startGuestSession,
  startMemberSession,
} from "../sessions.ts";
import type { AccessCtx } from "../context.ts";
import { PcRows, PcSettingsPage, PcsPage } from "../views/PcsPages.tsx";

const FormBody = Type.Record(Type.String(), Type.Unknown());
const IdParams = Type.Object({ id: Type.String({ format: "uuid" }) });
const GUEST_CODE = /^[A-Z2-9]{4}-?[A-Z2-9]{4}$/i;

export async function deskPcRoutes(base: FastifyInstance): Promise<void> {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const { db, clock, secret, config } = app.deps;
  const desk = { staff: DESK };
  const managers = { staff: MANAGERS };
  const ctx = (request: FastifyRequest): AccessCtx => ({ actor: request.actor(), clock });

  async function centreOf(request: FastifyRequest): Promise<string> {
    const user = request.staff!.user;
    if (user.centre_id) return user.centre_id;
    const current = await app.currentCentre();
    if (!current) throw new NotFound("centre");
    return current.id;
  }

  const problemText = (request: FastifyRequest, error: DomainError) =>
    errorBody(request.locale, error.code, error.params, error.fields).error.fields?.[0]?.message ??
    errorBody(request.locale, error.code, error.params).error.message;

  async function renderGrid(
    request: FastifyRequest,
    reply: FastifyReply,
    problem: string | null = null,
    status = 200,
  ) {
    const t = translator(request.locale);
    const rows = await pcGrid(db, await centreOf(request), clock.now());
    reply.header("cache-control", "no-store");
    return sendPage(request, reply, {
      title: t("pcs.title"),
      status,
      scripts: [app.assets.urls.pcsJs],
      body: (
        <PcsPage
          t={t}
          csrf={csrfOf(request)}
          rows={rows}
          now={clock.now()}
          canManage={MANAGERS.includes(request.staff!.user.role)}
          problem={problem}
        />
      ),
    });
  }

  app.get("/staff/pcs", { config: { access: desk }, schema: { hide: true } }, (request, reply) =>
    renderGrid(request, reply),
  );

  /** The rows alone, for the live grid to swap in. */
  app.get("/staff/pcs/grid", { config: { access: desk }, schema: { hide: true } }, async (request, reply) => {
    const t = translator(request.locale);
    const rows = await pcGrid(db, await centreOf(request), clock.now());
    reply.header("cache-control", "no-store").type("text/html; charset=utf-8");
    return renderToString(<PcRows t={t} csrf={csrfOf(request)} rows={rows} now={clock.now()} />);
  });

  // Open event streams end when the server stops, so a graceful shutdown is not held up.
  const streams = new Set<ServerResponse>();
  app.addHook("onClose", async () => {
    for (const s of streams) s.end();
  });

  /** Server-Sent Events: a notice whenever this centre's PCs change, and a heartbeat. */
  app.get(
    "/staff/pcs/events",
    { config: { access: desk }, schema: { hide: true } },
    async (request, reply) => {
      const centreId = await centreOf(request);
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-store",
        connection: "keep-alive",
        "x-accel-buffering": "no",
      });
      const send = () =>
        res.write(`event: change\ndata: ${JSON.stringify({ now: clock.now().toISOString() })}\n\n`);
      send();
      const stop = onPcsChanged(centreId, send);
      const beat = setInterval(() => res.write(": ping\n\n"), 15000);
      const close = () => {
        clearInterval(beat);
        stop();
      };
      request.raw.on("close", close);
      if (app.lifecycle.shuttingDown) res.end();
    },
  );

  async function act(request: FastifyRequest, reply: FastifyReply, action: () => Promise<unknown>) {
    try {
      await action();
      return reply.redirect("/staff/pcs", 303);
    } catch (error) {
      if (!(error instanceof DomainError) || error.status >= 500) throw error;
      return renderGrid(request, reply, problemText(request, error), error.status);
    }
  }

  /** Who to start a session for: a scanned card, a member number, or a guest code. */
  async function resolveWho(who: string): Promise<{ member: MemberTable } | { guest: string }> {
    const text = who.trim();
    if (!text) throw new ValidationFailed([{ path: "/who", code: "required" }]);
    const byCard = await memberByCard(db, secret, text);
    if (byCard) return { member: byCard };
    const byNumber = await findMemberByNumber(db, text.toUpperCase());
    if (byNumber && byNumber.status !== "erased") return { member: byNumber };
    if (GUEST_CODE.test(text)) return { guest: text };
    throw new NotFound("member");
  }

  app.post(
    "/staff/pcs/:id/start",
    { config: { access: desk }, schema: { params: IdParams, body: FormBody, hide: true } },
    (request, reply) =>
      act(request, reply, async () => {
        const pc = await loadPcFor(db, request.params.id, ctx(request));
        const who = await resolveWho(typeof request.body.who === "string" ? request.body.who : "");
        await db
          .transaction()
          .execute((trx) =>
            "member" in who
              ? startMemberSession(trx, pc.id, who.member, ctx(request))
              : startGuestSession(trx, pc.id, who.guest, ctx(request)),
          );
      }),
  );

  async function sessionFor(request: FastifyRequest, id: string) {
    const s = await findSession(db, id);
    if (!s) throw new NotFound("pc_session");
    await loadPcFor(db, s.pc_id, ctx(request));
    return s;
  }

  app.post(
    "/staff/pcs/sessions/:id/extend",
    { config: { access: desk }, schema: { params: IdParams, body: FormBody, hide: true } },
    (request, reply) =>
      act(request, reply, async () => {
        const s = await sessionFor(request, request.params.id);
        await db.transaction().execute((trx) => extendSession(trx, s.id, 15, ctx(request)));
      }),
  );

  app.post(
    "/staff/pcs/sessions/:id/end",
    { config: { access: desk }, schema: { params: IdParams, body: FormBody, hide: true } },
    (request, reply) =>
      act(request, reply, async () => {
        const s = await sessionFor(request, request.params.id);
        await db.transaction().execute((trx) => endSession(trx, s.id, "staff", ctx(request)));
      }),
  );

  app.post(
    "/staff/pcs/sessions/:id/move",
    { config: { access: desk }, schema: { params: IdParams, body: FormBody, hide: true } },
    (request, reply) =>
      act(request, reply, async () => {
        const s = await sessionFor(request, request.params.id);
        const name = typeof request.body.to === "string" ? request.body.to.trim().toUpperCase() : "";
        const to = name ? await findPcByName(db, s.centre_id, name) : undefined;
        if (!to) throw new ValidationFailed([{ path: "/to", code: "invalid_choice" }]);
        await db.transaction().execute((trx) => moveSession(trx, s.id, to.id, ctx(request)));
      }),
  );

  app.post(
    "/staff/pcs/:id/message",
    { config: { access: desk }, schema: { params: IdParams, body: FormBody, hide: true } },
    (request, reply) =>
      act(request, reply, () =>
        db.transaction().execute((trx) => sendPcMessage(trx, request.params.id, request.body, ctx(request))),
      ),
  );

  app.post(
    "/staff/pcs/:id/status",
    { config: { access: desk }, schema: { params: IdParams, body: FormBody, hide: true } },
    (request, reply) =>
      act(request, reply, () =>
        db
          .transaction()
          .execute((trx) =>
            setOutOfOrder(trx, request.params.id, request.body.out_of_order === "1", ctx(request)),
          ),
      ),
  );

  // ---- settings (managers) ------------------------------------------------------------------
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
    const centreId = await centreOf(request);
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
      const values: Record<string, string> = {};
      for (const [k, v] of Object.entries(request.body as Record<string, unknown>))
        if (typeof v === "string") values[k] = v;
      return renderSettings(request, reply, {
        errors: formErrors(request.locale, error.fields),
        values,
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
        const centreId = await centreOf(request);
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
        const centreId = await centreOf(request);
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
        const centreId = await centreOf(request);
        const number =
          typeof request.body.member === "string" ? request.body.member.trim().toUpperCase() : "";
        const m = number ? await findMemberByNumber(db, number) : undefined;
        if (!m)
          throw new ValidationFailed([{ path: "/member", code: number ? "unknown_member" : "required" }]);
        await db.transaction().execute((trx) => banMember(trx, centreId, m.id, request.body, ctx(request)));
        return { flash: translator(request.locale)("pcs.saved") };
      }),
  );

  app.post(
    "/staff/pcs/bans/:id/lift",
    { config: { access: managers }, schema: { params: IdParams, body: FormBody, hide: true } },
    (request, reply) =>
      settingsAct(request, reply, async () => {
        const centreId = await centreOf(request);
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
        const centreId = await centreOf(request);
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
