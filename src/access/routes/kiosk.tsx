// The kiosk on each public PC (/kiosk/PC-01): the lock screen (card, member number + PIN, or guest
// code) and the timer; and the kiosk agent's API (/api/v1/kiosk/...), bearer token, signed answers.

import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import crypto from "node:crypto";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { renderToString } from "preact-render-to-string";
import { Type } from "typebox";
import { findCentreById } from "../../centres/queries.ts";
import type { PcTable } from "../../db/schema.ts";
import { translator } from "../../i18n/index.ts";
import { memberByCard } from "../../members/cards.ts";
import { authenticateMember } from "../../members/pin.ts";
import { anonymousCsrfToken } from "../../server/csrf.ts";
import { DomainError, NotFound, Unauthenticated } from "../../server/errors.ts";
import { findMemberById } from "../../members/queries.ts";
import { initials } from "../grid.ts";
import { checkAgentToken, agentToken } from "../pcs.ts";
import {
  findPcByName,
  markMessageSeen,
  runningSessionOnPc,
  unseenMessages,
  updatePcRow,
} from "../queries.ts";
import { closesAt } from "../rules.ts";
import type { AccessCtx } from "../context.ts";
import { endSession, startGuestSession, startMemberSession } from "../sessions.ts";
import { KioskDocument, LockScreen, TimerScreen } from "../views/KioskPages.tsx";
import { refusalText } from "./helpers.ts";
import { FormBody } from "./schemas.ts";

const PcParams = Type.Object({
  pc: Type.String({ minLength: 1, maxLength: 20, pattern: "^[A-Za-z0-9-]+$" }),
});
const KIOSK_LIMIT = { max: 20, timeWindow: "1 minute" };

type KioskState = "locked" | "in_use" | "out_of_order" | "closed";

export async function kioskRoutes(base: FastifyInstance): Promise<void> {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const { db, clock, secret } = app.deps;
  const ur = translator("ur");
  const en = translator("en");
  const system: AccessCtx = { actor: { kind: "system", name: "kiosk" }, clock };

  async function pcNamed(name: string): Promise<PcTable> {
    const centre = await app.currentCentre();
    const pc = centre ? await findPcByName(db, centre.id, name.toUpperCase()) : undefined;
    if (!pc) throw new NotFound("pc");
    return pc;
  }

  async function stateOf(pc: PcTable) {
    const session = await runningSessionOnPc(db, pc.id);
    const centre = await findCentreById(db, pc.centre_id);
    let state: KioskState = session ? "in_use" : "locked";
    if (!session && pc.out_of_order) state = "out_of_order";
    else if (!session && centre && !(await closesAt(db, centre, clock.now()))) state = "closed";
    return { state, session, centre };
  }

  /** The kiosk document around both screens: reloads without JavaScript, polls with it. */
  const shellOf = (pc: PcTable, refreshSeconds: number) => ({
    css: app.assets.css,
    favicon: app.assets.urls.favicon,
    script: app.assets.urls.kioskJs,
    title: en("kiosk.title", { pc: pc.name }),
    refreshSeconds,
  });
  const dataOf = (pc: PcTable, state: KioskState, ends: string) => ({
    state,
    now: clock.now().toISOString(),
    status: `/kiosk/${pc.name}/status.json`,
    ends,
  });

  function sendDoc(reply: FastifyReply, node: preact.VNode, status = 200) {
    reply.header("cache-control", "no-store");
    return reply
      .code(status)
      .type("text/html; charset=utf-8")
      .send(`<!doctype html>${renderToString(node)}`);
  }

  async function lockPage(
    reply: FastifyReply,
    pc: PcTable,
    problem: { ur: string; en: string } | null = null,
    status = 200,
  ) {
    const { state, session, centre } = await stateOf(pc);
    if (state === "in_use" && !problem) return reply.redirect(`/kiosk/${pc.name}/timer`, 303);
    return sendDoc(
      reply,
      <KioskDocument shell={shellOf(pc, 20)} data={dataOf(pc, state, session?.ends_at ?? "")}>
        <LockScreen
          ur={ur}
          en={en}
          pc={pc.name}
          centre={{ ur: centre?.name_ur ?? "", en: centre?.name_en ?? "" }}
          state={state}
          action={`/kiosk/${pc.name}/login`}
          csrf={anonymousCsrfToken(secret, "kiosk", clock.now())}
          problem={problem}
        />
      </KioskDocument>,
      status,
    );
  }

  app.get(
    "/kiosk/:pc",
    { config: { access: "public" }, schema: { params: PcParams, hide: true } },
    async (request, reply) => lockPage(reply, await pcNamed(request.params.pc)),
  );

  app.get(
    "/kiosk/:pc/timer",
    { config: { access: "public" }, schema: { params: PcParams, hide: true } },
    async (request, reply) => {
      const pc = await pcNamed(request.params.pc);
      const { state, session } = await stateOf(pc);
      if (state !== "in_use" || !session) return reply.redirect(`/kiosk/${pc.name}`, 303);
      const minutes = Math.max(0, Math.ceil((Date.parse(session.ends_at) - clock.now().getTime()) / 60000));
      return sendDoc(
        reply,
        <KioskDocument shell={shellOf(pc, 30)} data={dataOf(pc, state, session.ends_at)}>
          <TimerScreen
            ur={ur}
            en={en}
            pc={pc.name}
            endAction={`/kiosk/${pc.name}/end`}
            csrf={anonymousCsrfToken(secret, "kiosk-end", clock.now())}
            running
            minutes={minutes}
          />
        </KioskDocument>,
      );
    },
  );

  /** What the kiosk screens poll: no secrets, only whether the PC is free and until when. */
  app.get(
    "/kiosk/:pc/status.json",
    { config: { access: "public" }, schema: { params: PcParams, hide: true } },
    async (request, reply) => {
      const pc = await pcNamed(request.params.pc);
      const { state, session } = await stateOf(pc);
      reply.header("cache-control", "no-store");
      return { state, now: clock.now().toISOString(), ends_at: session?.ends_at ?? null };
    },
  );

  /** The lock screen speaks Urdu and English at once. */
  const both = (error: Pick<DomainError, "code" | "params" | "fields">) => ({
    ur: refusalText("ur", error),
    en: refusalText("en", error),
  });

  app.post(
    "/kiosk/:pc/login",
    {
      config: { access: "public", csrfPurpose: "kiosk", rateLimit: KIOSK_LIMIT },
      schema: { params: PcParams, body: FormBody, hide: true },
    },
    async (request, reply) => {
      const pc = await pcNamed(request.params.pc);
      const body = request.body;
      const text = (k: string) => (typeof body[k] === "string" ? (body[k] as string) : "");
      const ctx: AccessCtx = { actor: { kind: "anonymous", ip: request.ip }, clock };
      try {
        if (body.method === "guest") {
          await db.transaction().execute((trx) => startGuestSession(trx, pc.id, text("code"), ctx));
        } else if (body.method === "pin") {
          const result = await db
            .transaction()
            .execute((trx) =>
              authenticateMember(trx, { login: text("login"), pin: text("pin"), ip: request.ip }, clock),
            );
          if (!result.ok)
            return lockPage(
              reply,
              pc,
              both({ code: result.error.code, params: result.error.params, fields: [] }),
              result.error.status,
            );
          await db.transaction().execute((trx) => startMemberSession(trx, pc.id, result.member, ctx));
        } else {
          const member = await memberByCard(db, secret, text("card"));
          if (!member)
            return lockPage(reply, pc, { ur: ur("kiosk.unknown_card"), en: en("kiosk.unknown_card") }, 400);
          await db.transaction().execute((trx) => startMemberSession(trx, pc.id, member, ctx));
        }
      } catch (error) {
        if (!(error instanceof DomainError) || error.status >= 500) throw error;
        return lockPage(reply, pc, both(error), error.status);
      }
      return reply.redirect(`/kiosk/${pc.name}/timer`, 303);
    },
  );

  app.post(
    "/kiosk/:pc/end",
    {
      config: { access: "public", csrfPurpose: "kiosk-end", rateLimit: KIOSK_LIMIT },
      schema: { params: PcParams, body: FormBody, hide: true },
    },
    async (request, reply) => {
      const pc = await pcNamed(request.params.pc);
      const session = await runningSessionOnPc(db, pc.id);
      if (session) await db.transaction().execute((trx) => endSession(trx, session.id, "user", system));
      return reply.redirect(`/kiosk/${pc.name}`, 303);
    },
  );

  // ---- the kiosk agent's API: bearer token, answers signed with it ---------------------------
  async function agentPc(request: FastifyRequest, name: string): Promise<{ pc: PcTable; token: string }> {
    const pc = await pcNamed(name);
    const header = request.headers.authorization ?? "";
    const presented = header.startsWith("Bearer ") ? header.slice(7).trim() : "";
    if (!checkAgentToken(secret, pc, presented)) throw new Unauthenticated();
    return { pc, token: agentToken(secret, pc) };
  }

  function signed(reply: FastifyReply, token: string, payload: unknown) {
    const body = JSON.stringify(payload);
    reply.header("x-rasai-signature", crypto.createHmac("sha256", token).update(body).digest("hex"));
    reply.header("cache-control", "no-store");
    return reply.type("application/json; charset=utf-8").send(body);
  }

  const agentConfig = { access: "public" as const, rateLimit: { max: 120, timeWindow: "1 minute" } };

  app.get(
    "/api/v1/kiosk/:pc/state",
    {
      config: agentConfig,
      schema: {
        params: PcParams,
        tags: ["kiosk"],
        summary:
          "A PC's state for its kiosk agent (Bearer token; the answer is signed with it in x-rasai-signature)",
      },
    },
    async (request, reply) => {
      const { pc, token } = await agentPc(request, request.params.pc);
      const now = clock.now().toISOString();
      await updatePcRow(db, pc.id, { agent_seen_at: now });
      const { state, session } = await stateOf(pc);
      let label = "";
      if (session?.member_id) {
        const m = await findMemberById(db, session.member_id);
        label = initials(m?.full_name_en || m?.full_name_ur || null);
      } else if (session) label = "Guest";
      return signed(reply, token, {
        pc: pc.name,
        now,
        state: state === "closed" ? "locked" : state,
        session: session ? { id: session.id, ends_at: session.ends_at, label } : null,
        messages: (await unseenMessages(db, pc.id)).map((m) => ({ id: m.id, text: m.text })),
      });
    },
  );

  app.post(
    "/api/v1/kiosk/:pc/ended",
    {
      config: agentConfig,
      schema: {
        params: PcParams,
        tags: ["kiosk"],
        summary: "The agent ended a session (on time or at the user's request), possibly reported late",
        body: Type.Object({
          session_id: Type.String({ format: "uuid" }),
          at: Type.String({ format: "date-time" }),
          reason: Type.Union([Type.Literal("time"), Type.Literal("user")]),
        }),
      },
    },
    async (request, reply) => {
      const { pc, token } = await agentPc(request, request.params.pc);
      const running = await runningSessionOnPc(db, pc.id);
      // The server is the authority: only the running session can be ended, never before it started.
      if (running && running.id === request.body.session_id) {
        const at = new Date(Math.max(Date.parse(request.body.at), Date.parse(running.started_at)));
        await db.transaction().execute((trx) => endSession(trx, running.id, request.body.reason, system, at));
      }
      return signed(reply, token, { ok: true });
    },
  );

  app.post(
    "/api/v1/kiosk/:pc/messages/:id/seen",
    {
      config: agentConfig,
      schema: {
        params: Type.Object({ pc: PcParams.properties.pc, id: Type.String({ format: "uuid" }) }),
        tags: ["kiosk"],
        summary: "The agent showed a message",
      },
    },
    async (request, reply) => {
      const { pc, token } = await agentPc(request, request.params.pc);
      await markMessageSeen(db, pc.id, request.params.id, clock.now().toISOString());
      return signed(reply, token, { ok: true });
    },
  );
}
