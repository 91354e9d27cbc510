// The walk-in queue's public screens: the TV display (/queue/display, kept current by
// /queue/display.json and queue-display.js) and the self-service ticket screen (/queue/ticket).

import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import crypto from "node:crypto";
import type { FastifyInstance, FastifyReply } from "fastify";
import type { VNode } from "preact";
import { renderToString } from "preact-render-to-string";
import { Type } from "typebox";
import { findCentreByCode } from "../../centres/queries.ts";
import type { CentreTable } from "../../db/schema.ts";
import { t as translate, type MessageKey, type MessageValues } from "../../i18n/index.ts";
import { anonymousCsrfToken } from "../../server/csrf.ts";
import { NotFound } from "../../server/errors.ts";
import { currentDisplay, queueDay, takeTicket } from "../queue.ts";
import { countWaiting } from "../queueQueries.ts";
import { screenCss } from "../views/queueScreenCss.ts";
import {
  DisplayScreen,
  TicketIssuedScreen,
  TicketScreen,
  type Bilingual,
  type DisplayData,
} from "../views/QueueScreens.tsx";
import { FormBody } from "./schemas.ts";
import { sweepCentre } from "./sweep.ts";

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

export async function queueScreenRoutes(base: FastifyInstance): Promise<void> {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const { db, clock, secret } = app.deps;

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
}
