// A member's own PC bookings (/ur|en/account/reservations): the centre's day grid, booking a PC
// and cancelling a booking before it starts.

import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { formatDate, LOCALES, translator, type Locale } from "../../i18n/index.ts";
import { sessionCsrfToken } from "../../identity/sessions.ts";
import { DomainError } from "../../server/errors.ts";
import { formErrors } from "../../server/forms.ts";
import { sendPage } from "../../server/render.tsx";
import type { FieldErrors } from "../../ui/forms.tsx";
import { availability } from "../availability.ts";
import { bookForMember } from "../bookForMember.ts";
import { centreTime, localDate, localToInstant } from "../centreTime.ts";
import type { AccessCtx } from "../context.ts";
import { listPcs } from "../queries.ts";
import { cancelReservation } from "../reservationLifecycle.ts";
import { addDays, durationOptions, gridView, reservationItem } from "../reservationPresenters.ts";
import { memberReservations } from "../reservationQueries.ts";
import { reservationSettings } from "../reservationSettings.ts";
import { MemberReservationsPage } from "../views/ReservationPages.tsx";
import type { Option } from "../views/Select.tsx";
import { bookingStart, formText, formValues, refusalText } from "./helpers.ts";
import { DayQuery, FormBody, IdParams } from "./schemas.ts";
import { sweepCentre } from "./sweep.ts";

interface MineState {
  day?: string;
  values?: Record<string, string>;
  errors?: FieldErrors;
  status?: number;
  flash?: { kind: "ok" | "bad"; text: string } | null;
}

export async function memberReservationRoutes(base: FastifyInstance): Promise<void> {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const { db, clock, config } = app.deps;

  async function timeZoneOf(centreId: string): Promise<string> {
    return (await centreTime(db, centreId)).timeZone ?? config.defaultTimeZone;
  }

  /** The signed-in member acts for themselves here, even if a staff session shares the browser. */
  const memberCtx = (request: FastifyRequest): AccessCtx => {
    const m = request.member!.member;
    return {
      actor: { kind: "member", id: m.id, name: m.member_no, centreId: m.centre_id, ip: request.ip },
      clock,
    };
  };

  async function renderMine(request: FastifyRequest, reply: FastifyReply, locale: Locale, state: MineState) {
    const t = translator(locale);
    const m = request.member!.member;
    await sweepCentre(db, m.centre_id, clock, request.log);
    const now = clock.now();
    const tz = await timeZoneOf(m.centre_id);
    const settings = await reservationSettings(db, m.centre_id);
    const today = localDate(now, tz);
    const dates: Option[] = [];
    for (let i = 0; i <= settings.horizon_days; i++) {
      const d = addDays(today, i);
      dates.push({ value: d, label: formatDate(locale, localToInstant(d, "12:00", tz) ?? now, tz) });
    }
    const day = state.day && dates.some((d) => d.value === state.day) ? state.day : today;
    const pcs = (await listPcs(db, m.centre_id, "lounge")).filter((p) => !p.out_of_order);
    const mine = await memberReservations(db, m.id, new Date(now.getTime() - 86_400_000).toISOString());
    reply.header("cache-control", "no-store");
    return sendPage(request, reply, {
      title: t("reserve.mine_title"),
      publicPath: "/account/reservations",
      status: state.status ?? 200,
      flash: state.flash ?? null,
      body: (
        <MemberReservationsPage
          t={t}
          locale={locale}
          csrf={sessionCsrfToken(request.member!.session)}
          items={mine.map((r) => reservationItem(r, t, tz, now, true))}
          day={day}
          dayLabel={dates.find((d) => d.value === day)?.label ?? day}
          dates={dates}
          grid={gridView(await availability(db, m.centre_id, day), t, {
            viewer: { kind: "member", memberId: m.id },
            linkBase: `/${locale}/account/reservations`,
            now,
          })}
          pcs={pcs.map((p) => ({ value: p.id, label: p.name }))}
          durations={durationOptions(t, settings.min_minutes, settings.max_minutes)}
          values={state.values ?? {}}
          errors={state.errors ?? {}}
          rulesText={t("reserve.rules", {
            min: settings.min_minutes,
            max: settings.max_minutes,
            count: settings.max_future,
            days: settings.horizon_days,
            grace: settings.grace_minutes,
          })}
        />
      ),
    });
  }

  for (const locale of LOCALES) {
    const t = translator(locale);
    const base = `/${locale}/account/reservations`;

    app.get(
      base,
      { config: { access: "member" }, schema: { querystring: DayQuery } },
      async (request, reply) => {
        const { day, pc, start, done } = request.query;
        const flash =
          done === "booked" || done === "cancelled"
            ? { kind: "ok" as const, text: t(`reserve.done_${done}`) }
            : null;
        const values: Record<string, string> = {};
        if (pc) values.pc_id = pc;
        if (start) values.start = start;
        return renderMine(request, reply, locale, { ...(day ? { day } : {}), values, flash });
      },
    );

    app.post(base, { config: { access: "member" }, schema: { body: FormBody } }, async (request, reply) => {
      const body = request.body;
      const m = request.member!.member;
      const tz = await timeZoneOf(m.centre_id);
      const values = formValues(body);
      try {
        const r = await db.transaction().execute((trx) =>
          bookForMember(
            trx,
            {
              pcId: formText(body.pc_id),
              memberId: m.id,
              startsAt: bookingStart(body, tz),
              minutes: Number(formText(body.minutes)),
            },
            memberCtx(request),
          ),
        );
        return reply.redirect(`${base}?day=${localDate(r.starts_at, tz)}&done=booked`, 303);
      } catch (error) {
        if (!(error instanceof DomainError) || error.fields.length === 0) throw error;
        return renderMine(request, reply, locale, {
          ...(values.date ? { day: values.date } : {}),
          values,
          errors: formErrors(locale, error.fields),
          status: error.status,
        });
      }
    });

    app.post(
      `${base}/:id/cancel`,
      { config: { access: "member" }, schema: { params: IdParams, body: FormBody } },
      async (request, reply) => {
        try {
          await db
            .transaction()
            .execute((trx) => cancelReservation(trx, request.params.id, memberCtx(request)));
          return reply.redirect(`${base}?done=cancelled`, 303);
        } catch (error) {
          if (!(error instanceof DomainError) || error.status === 404) throw error;
          return renderMine(request, reply, locale, {
            status: error.status,
            flash: { kind: "bad", text: refusalText(locale, error) },
          });
        }
      },
    );
  }
}
