// The walk-in queue's desk page (/staff/queue): issue a ticket, call the next one to a free PC,
// mark a called ticket as at the PC, remove a ticket.

import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { Type } from "typebox";
import { findCentreById } from "../../centres/queries.ts";
import { formatDate, translator } from "../../i18n/index.ts";
import { DESK } from "../../identity/policy.ts";
import { csrfOf } from "../../identity/routes.tsx";
import { asciiDigits } from "../../members/memberInput.ts";
import { findMemberByNumber } from "../../members/queries.ts";
import { DomainError, ValidationFailed } from "../../server/errors.ts";
import { formErrors } from "../../server/forms.ts";
import { sendPage } from "../../server/render.tsx";
import type { FieldErrors } from "../../ui/forms.tsx";
import { centreTime, localTime, localToInstant } from "../centreTime.ts";
import { listPcs } from "../queries.ts";
import { callNextAtDesk, cancelTicket, claimTicket, queueDay, takeTicket } from "../queue.ts";
import { recentCalls, waitingTickets } from "../queueQueries.ts";
import { reservationSettings } from "../reservationSettings.ts";
import { QueueDeskPage } from "../views/QueueDeskPage.tsx";
import { formText, formValues, refusalText, staffCentreId } from "./helpers.ts";
import { FormBody, IdParams } from "./schemas.ts";
import { sweepCentre } from "./sweep.ts";

export async function queueDeskRoutes(base: FastifyInstance): Promise<void> {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const { db, clock } = app.deps;
  const desk = { staff: DESK };

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
    const centreId = await staffCentreId(app, request);
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
      current?.id === centreId
        ? ""
        : `?centre=${encodeURIComponent((await findCentreById(db, centreId))?.code ?? "")}`;
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
          flash: { kind: "bad", text: refusalText(request.locale, error) },
        });
      }
      return renderDesk(request, reply, {
        form,
        values: formValues(request.body),
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
        const centreId = await staffCentreId(app, request);
        const number = asciiDigits(formText(request.body.member_no)).toUpperCase();
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
        const centreId = await staffCentreId(app, request);
        const pcId = formText(request.body.pc_id);
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
