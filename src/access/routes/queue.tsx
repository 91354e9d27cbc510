// The walk-in queue: the desk page (/staff/queue), the self-service screen (/queue/ticket) and
// the TV display (/queue/display, kept current by /queue/display.json and queue-display.js).

import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import crypto from "node:crypto";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { renderToString } from "preact-render-to-string";
import type { VNode } from "preact";
import { Type } from "typebox";
import { findCentreByCode, findCentreById } from "../../centres/queries.ts";
import type { CentreTable } from "../../db/schema.ts";
import {
  formatDate,
  t as translate,
  translator,
  type MessageKey,
  type MessageValues,
} from "../../i18n/index.ts";
import { DESK } from "../../identity/policy.ts";
import { csrfOf } from "../../identity/routes.tsx";
import { asciiDigits } from "../../members/memberInput.ts";
import { findMemberByNumber } from "../../members/queries.ts";
import { anonymousCsrfToken } from "../../server/csrf.ts";
import { DomainError, NotFound, ValidationFailed } from "../../server/errors.ts";
import { formErrors } from "../../server/forms.ts";
import { sendPage } from "../../server/render.tsx";
import type { FieldErrors } from "../../ui/forms.tsx";
import { callNextAtDesk, cancelTicket, claimTicket, currentDisplay, queueDay, takeTicket } from "../queue.ts";
import { countWaiting, recentCalls, waitingTickets } from "../queueQueries.ts";
import { listPcs } from "../queries.ts";
import { centreTime, localTime, localToInstant } from "../reservations.ts";
import { reservationSettings } from "../reservationSettings.ts";
import {
  DisplayScreen,
  QueueDeskPage,
  screenCss,
  TicketIssuedScreen,
  TicketScreen,
  type Bilingual,
  type DisplayData,
} from "../views/QueuePages.tsx";
import { accessErrorText, sweepCentre } from "./reservations.tsx";

const FormBody = Type.Record(Type.String(), Type.Unknown());
const IdParams = Type.Object({ id: Type.String({ format: "uuid" }) });
const CentreQuery = Type.Object({
  centre: Type.Optional(Type.String({ pattern: "^[A-Za-z0-9][A-Za-z0-9-]{1,19}$" })),
});
const TICKET_LIMIT = { max: 20, timeWindow: "1 minute" };
const DISPLAY_LIMIT = { max: 120, timeWindow: "1 minute" };
const TICKET_PURPOSE = "queue-ticket";

/** Both languages of a message: the screens speak Urdu and English at once. */
function both(key: MessageKey, values?: MessageValues): Bilingual {
  return { ur: translate("ur", key, values), en: translate("en", key, values) };
}

function str(v: unknown): string {
  return typeof v === "string" ? v.trim() : "";
}

export async function queueRoutes(base: FastifyInstance): Promise<void> {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const { db, clock, secret } = app.deps;
  const desk = { staff: DESK };

  const css = screenCss(app.assets.urls.fontUrdu, app.assets.urls.fontLatin);
  const cssHash = crypto.createHash("sha256").update(css).digest("base64");
  const screenCsp = `default-src 'self'; script-src 'self'; style-src 'self' 'sha256-${cssHash}'; img-src 'self' data:; font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'`;

  /** The centre a screen serves: ?centre=CODE, else the centre this server runs. */
  async function screenCentre(code: string | undefined): Promise<CentreTable> {
    const centre = code ? await findCentreByCode(db, code.toUpperCase()) : await app.currentCentre();
    if (!centre) throw new NotFound("centre");
    return centre;
  }

  function sendScreen(reply: FastifyReply, page: VNode, status = 200) {
    reply.header("content-security-policy", screenCsp);
    reply.header("cache-control", "no-store");
    return reply
      .code(status)
      .header("content-language", "ur, en")
      .type("text/html; charset=utf-8")
      .send(`<!doctype html>${renderToString(page)}`);
  }

  async function displayData(centreId: string): Promise<DisplayData> {
    const d = await currentDisplay(db, centreId, clock);
    const active = d.calls.find((c) => c.active);
    return {
      version: d.version,
      now: active
        ? {
            number: String(active.number),
            pc: active.pc,
            ...both("queue.tv_now", { number: active.number, pc: active.pc }),
          }
        : { number: "—", pc: "", ...both("queue.tv_idle") },
      calls: d.calls.map((c) => ({
        number: c.number,
        pc: c.pc,
        active: c.active,
        ...both("queue.tv_call", { number: c.number, pc: c.pc }),
      })),
      waiting: d.waiting,
      waiting_text: both("queue.tv_waiting", { count: d.waiting }),
    };
  }

  const feedOf = (centre: CentreTable, code: string | undefined) =>
    `/queue/display.json${code ? `?centre=${encodeURIComponent(centre.code)}` : ""}`;

  // ---- the TV ------------------------------------------------------------------------------------
  app.get(
    "/queue/display",
    { config: { access: "public" }, schema: { querystring: CentreQuery, hide: true } },
    async (request, reply) => {
      const centre = await screenCentre(request.query.centre);
      await sweepCentre(db, centre.id, clock, request.log);
      return sendScreen(
        reply,
        <DisplayScreen
          css={css}
          faviconUrl={app.assets.urls.favicon}
          script={app.assets.urls.queueDisplayJs}
          feed={feedOf(centre, request.query.centre)}
          title={both("queue.tv_title")}
          centre={{ ur: centre.name_ur, en: centre.name_en }}
          sound={both("queue.tv_sound")}
          data={await displayData(centre.id)}
        />,
      );
    },
  );

  app.get(
    "/queue/display.json",
    {
      config: { access: "public", rateLimit: DISPLAY_LIMIT },
      schema: { querystring: CentreQuery, hide: true },
    },
    async (request, reply) => {
      const centre = await screenCentre(request.query.centre);
      await sweepCentre(db, centre.id, clock, request.log);
      reply.header("cache-control", "no-store");
      return reply.type("application/json; charset=utf-8").send(await displayData(centre.id));
    },
  );

  // ---- the self-service screen -------------------------------------------------------------------
  async function ticketScreen(reply: FastifyReply, centre: CentreTable, code: string | undefined) {
    const waiting = await countWaiting(db, centre.id, await queueDay(db, centre.id, clock.now()));
    return sendScreen(
      reply,
      <TicketScreen
        css={css}
        faviconUrl={app.assets.urls.favicon}
        action={`/queue/ticket${code ? `?centre=${encodeURIComponent(centre.code)}` : ""}`}
        csrf={anonymousCsrfToken(secret, TICKET_PURPOSE, clock.now())}
        title={both("queue.kiosk_title")}
        button={both("queue.kiosk_button")}
        intro={both("queue.kiosk_intro")}
        waiting={both("queue.tv_waiting", { count: waiting })}
      />,
    );
  }

  app.get(
    "/queue/ticket",
    { config: { access: "public" }, schema: { querystring: CentreQuery, hide: true } },
    async (request, reply) => {
      const centre = await screenCentre(request.query.centre);
      return ticketScreen(reply, centre, request.query.centre);
    },
  );

  app.post(
    "/queue/ticket",
    {
      config: { access: "public", csrfPurpose: TICKET_PURPOSE, rateLimit: TICKET_LIMIT },
      schema: { querystring: CentreQuery, body: FormBody, hide: true },
    },
    async (request, reply) => {
      const code = request.query.centre;
      const centre = await screenCentre(code);
      const ticket = await db
        .transaction()
        .execute((trx) => takeTicket(trx, centre.id, { actor: request.actor(), clock }));
      const back = `/queue/ticket${code ? `?centre=${encodeURIComponent(centre.code)}` : ""}`;
      return sendScreen(
        reply,
        <TicketIssuedScreen
          css={css}
          faviconUrl={app.assets.urls.favicon}
          backHref={back}
          number={ticket.number}
          title={both("queue.kiosk_your_number")}
          text={both("queue.kiosk_watch")}
          back={both("queue.kiosk_back")}
        />,
      );
    },
  );

  // ---- the desk ------------------------------------------------------------------------------------
  async function workingCentreId(request: FastifyRequest): Promise<string> {
    const user = request.staff!.user;
    if (user.centre_id) return user.centre_id;
    const current = await app.currentCentre();
    if (!current) throw new NotFound("centre");
    return current.id;
  }

  async function renderDesk(
    request: FastifyRequest,
    reply: FastifyReply,
    state: {
      form?: "ticket" | "call" | null;
      values?: Record<string, string>;
      errors?: FieldErrors;
      status?: number;
      flash?: { kind: "ok" | "bad" | "info"; text: string } | null;
    },
  ) {
    const t = translator(request.locale);
    const centreId = await workingCentreId(request);
    await sweepCentre(db, centreId, clock, request.log);
    const now = clock.now();
    const ct = await centreTime(db, centreId);
    const day = await queueDay(db, centreId, now);
    const settings = await reservationSettings(db, centreId);
    const pcs = (await listPcs(db, centreId, "lounge")).filter((p) => !p.out_of_order);
    const calls = (await recentCalls(db, centreId, day, 50)).filter((c) => c.status === "called");
    const waiting = await waitingTickets(db, centreId, day);
    const current = await app.currentCentre();
    const codeQuery =
      current?.id === centreId ? "" : `?centre=${encodeURIComponent((await centreCode(centreId)) ?? "")}`;
    return sendPage(request, reply, {
      title: t("queue.desk_title"),
      status: state.status ?? 200,
      flash: state.flash ?? null,
      body: (
        <QueueDeskPage
          t={t}
          csrf={csrfOf(request)}
          dayLabel={formatDate(request.locale, localToInstant(day, "12:00", ct.timeZone) ?? now, ct.timeZone)}
          claimMinutes={settings.claim_minutes}
          pcs={pcs.map((p) => ({ value: p.id, label: p.name }))}
          calls={calls.map((c) => ({
            id: c.id,
            number: c.number,
            pc: c.pc_name ?? "",
            calledAt: c.called_at ? localTime(c.called_at, ct.timeZone) : "",
            expired:
              !!c.called_at && now.getTime() > Date.parse(c.called_at) + settings.claim_minutes * 60_000,
          }))}
          waiting={waiting.map((w) => ({
            id: w.id,
            number: w.number,
            since: localTime(w.created_at, ct.timeZone),
            who: w.member_id ? t("queue.who_member") : t("queue.who_walk_in"),
          }))}
          form={state.form ?? null}
          values={state.values ?? {}}
          errors={state.errors ?? {}}
          displayHref={`/queue/display${codeQuery}`}
          ticketHref={`/queue/ticket${codeQuery}`}
        />
      ),
    });
  }

  async function centreCode(centreId: string): Promise<string | undefined> {
    return (await findCentreById(db, centreId))?.code;
  }

  app.get(
    "/staff/queue",
    {
      config: { access: desk },
      schema: {
        querystring: Type.Object({
          done: Type.Optional(Type.String({ maxLength: 20 })),
          n: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000 })),
          pc: Type.Optional(Type.String({ maxLength: 80 })),
        }),
        hide: true,
      },
    },
    async (request, reply) => {
      const t = translator(request.locale);
      const { done, n, pc } = request.query;
      let flash: { kind: "ok" | "info"; text: string } | null = null;
      if (done === "issued" && n) flash = { kind: "ok", text: t("queue.done_issued", { number: n }) };
      else if (done === "called" && n)
        flash = { kind: "ok", text: t("queue.done_called", { number: n, pc: pc ?? "" }) };
      else if (done === "nobody") flash = { kind: "info", text: t("queue.done_nobody") };
      else if (done === "claimed") flash = { kind: "ok", text: t("queue.done_claimed") };
      else if (done === "cancelled") flash = { kind: "ok", text: t("queue.done_cancelled") };
      return renderDesk(request, reply, { flash });
    },
  );

  async function deskForm(
    request: FastifyRequest,
    reply: FastifyReply,
    form: "ticket" | "call",
    action: () => Promise<string>,
  ) {
    try {
      return reply.redirect(await action(), 303);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      if (error.fields.length === 0) {
        if (error.status === 403 || error.status === 404) throw error;
        return renderDesk(request, reply, {
          status: error.status,
          flash: { kind: "bad", text: accessErrorText(request.locale, error) },
        });
      }
      const values: Record<string, string> = {};
      for (const [k, v] of Object.entries(request.body as Record<string, unknown>))
        if (typeof v === "string") values[k] = v;
      return renderDesk(request, reply, {
        form,
        values,
        errors: formErrors(request.locale, error.fields),
        status: error.status,
      });
    }
  }

  app.post(
    "/staff/queue/tickets",
    { config: { access: desk }, schema: { body: FormBody, hide: true } },
    (request, reply) =>
      deskForm(request, reply, "ticket", async () => {
        const centreId = await workingCentreId(request);
        const number = asciiDigits(str(request.body.member_no)).toUpperCase();
        let memberId: string | null = null;
        if (number) {
          const member = await findMemberByNumber(db, number);
          if (!member) throw new ValidationFailed([{ path: "/member_no", code: "member_not_found" }]);
          memberId = member.id;
        }
        const ticket = await db
          .transaction()
          .execute((trx) => takeTicket(trx, centreId, { actor: request.actor(), clock }, { memberId }));
        return `/staff/queue?done=issued&n=${ticket.number}`;
      }),
  );

  app.post(
    "/staff/queue/call",
    { config: { access: desk }, schema: { body: FormBody, hide: true } },
    (request, reply) =>
      deskForm(request, reply, "call", async () => {
        const centreId = await workingCentreId(request);
        const pcId = str(request.body.pc_id);
        if (!/^[0-9a-f-]{36}$/i.test(pcId))
          throw new ValidationFailed([{ path: "/pc_id", code: "invalid_choice" }]);
        const called = await db
          .transaction()
          .execute((trx) => callNextAtDesk(trx, centreId, pcId, { actor: request.actor(), clock }));
        if (!called) return "/staff/queue?done=nobody";
        return `/staff/queue?${new URLSearchParams({ done: "called", n: String(called.number), pc: called.pc_name ?? "" }).toString()}`;
      }),
  );

  for (const what of ["claim", "cancel"] as const) {
    app.post(
      `/staff/queue/:id/${what}`,
      { config: { access: desk }, schema: { params: IdParams, body: FormBody, hide: true } },
      (request, reply) =>
        deskForm(request, reply, "call", async () => {
          const ctx = { actor: request.actor(), clock };
          await db
            .transaction()
            .execute((trx) =>
              what === "claim"
                ? claimTicket(trx, request.params.id, ctx)
                : cancelTicket(trx, request.params.id, ctx),
            );
          return `/staff/queue?done=${what === "claim" ? "claimed" : "cancelled"}`;
        }),
    );
  }
}
