// The front desk's PC grid (/staff/pcs): live over Server-Sent Events, with starting a session by
// member number, scanned card or guest code, and extending, moving and ending one, a message to
// a PC, and marking a PC out of order.

import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { ServerResponse } from "node:http";
import { renderToString } from "preact-render-to-string";
import type { MemberTable } from "../../db/schema.ts";
import { translator } from "../../i18n/index.ts";
import { DESK, MANAGERS } from "../../identity/policy.ts";
import { csrfOf } from "../../identity/routes.tsx";
import { memberByCard } from "../../members/cards.ts";
import { asciiDigits } from "../../members/memberInput.ts";
import { findMemberByNumber } from "../../members/queries.ts";
import { DomainError, NotFound, ValidationFailed } from "../../server/errors.ts";
import { sendPage } from "../../server/render.tsx";
import type { AccessCtx } from "../context.ts";
import { onPcsChanged } from "../events.ts";
import { pcGrid } from "../grid.ts";
import { loadPcFor, sendPcMessage, setOutOfOrder } from "../pcs.ts";
import { findPcByName, findSession } from "../queries.ts";
import {
  endSession,
  extendSession,
  moveSession,
  startGuestSession,
  startMemberSession,
} from "../sessions.ts";
import { PcRows, PcsPage } from "../views/PcsPages.tsx";
import { refusalText, staffCentreId } from "./helpers.ts";
import { FormBody, IdParams } from "./schemas.ts";

const GUEST_CODE = /^[A-Z2-9]{4}-?[A-Z2-9]{4}$/i;

export async function pcDeskRoutes(base: FastifyInstance): Promise<void> {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const { db, clock, secret } = app.deps;
  const desk = { staff: DESK };
  const ctx = (request: FastifyRequest): AccessCtx => ({ actor: request.actor(), clock });

  async function renderGrid(
    request: FastifyRequest,
    reply: FastifyReply,
    problem: string | null = null,
    status = 200,
  ) {
    const t = translator(request.locale);
    const rows = await pcGrid(db, await staffCentreId(app, request), clock.now());
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
    const rows = await pcGrid(db, await staffCentreId(app, request), clock.now());
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
      const centreId = await staffCentreId(app, request);
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
      return renderGrid(request, reply, refusalText(request.locale, error), error.status);
    }
  }

  /** Who to start a session for: a scanned card, a member number, or a guest code. */
  async function resolveWho(who: string): Promise<{ member: MemberTable } | { guest: string }> {
    const text = who.trim();
    if (!text) throw new ValidationFailed([{ path: "/who", code: "required" }]);
    const byCard = await memberByCard(db, secret, text);
    if (byCard) return { member: byCard };
    const byNumber = await findMemberByNumber(db, asciiDigits(text).toUpperCase());
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
        // A PC name typed by hand: "No such PC." says it all ("/to" has no label of its own, as
        // search uses the same name for a date).
        if (!to) throw new DomainError("pc_not_found", 400);
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
}
