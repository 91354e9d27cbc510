// Reservation pages: the desk's day grid (/staff/reservations) with booking for a member, class
// block-booking, cancel, claim and (for managers) the settings; a member's own bookings
// (/ur|en/account/reservations).

import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyBaseLogger, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { Type } from "typebox";
import type { Clock } from "../../db/clock.ts";
import type { Executor } from "../../db/connect.ts";
import { formatDate, LOCALES, translator, type Locale } from "../../i18n/index.ts";
import { DESK, MANAGERS } from "../../identity/policy.ts";
import { csrfOf } from "../../identity/routes.tsx";
import { sessionCsrfToken } from "../../identity/sessions.ts";
import { asciiDigits } from "../../members/memberInput.ts";
import { findMemberByNumber } from "../../members/queries.ts";
import { errorBody } from "../../server/errorHandler.tsx";
import { formErrors } from "../../server/forms.ts";
import { DomainError, NotFound, ValidationFailed } from "../../server/errors.ts";
import { sendPage } from "../../server/render.tsx";
import type { FieldErrors } from "../../ui/forms.tsx";
import { accessSweep } from "../queue.ts";
import {
  availability,
  bookClass,
  bookForMember,
  cancelReservation,
  centreTime,
  CLAIM_EARLY_MS,
  CLASS_MAX_MINUTES,
  claimReservation,
  dayReservations,
  localDate,
  localTime,
  localToInstant,
} from "../reservations.ts";
import { listPcs } from "../queries.ts";
import { memberReservations, type ReservationRow } from "../reservationQueries.ts";
import {
  reservationSettings,
  saveReservationSettings,
  SETTING_KEYS,
  SLOT_MINUTES,
  type ReservationSettings,
} from "../reservationSettings.ts";
import {
  DeskReservationsPage,
  MemberReservationsPage,
  type GridView,
  type Option,
  type ReservationItem,
} from "../views/ReservationPages.tsx";

const FormBody = Type.Record(Type.String(), Type.Unknown());
const IdParams = Type.Object({ id: Type.String({ format: "uuid" }) });
const DayQuery = Type.Object({
  day: Type.Optional(Type.String({ pattern: "^\\d{4}-\\d{2}-\\d{2}$" })),
  pc: Type.Optional(Type.String({ format: "uuid" })),
  start: Type.Optional(Type.String({ pattern: "^\\d{2}:\\d{2}$" })),
  done: Type.Optional(Type.String({ maxLength: 20 })),
});

// ---- messages shared by the reservation and queue pages ----------------------------------------

/** A refusal without fields, in the person's language: the same words the error handler uses. */
export function accessErrorText(locale: Locale, error: DomainError): string {
  return errorBody(locale, error.code, error.params).error.message;
}

function strings(body: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(body)) if (typeof v === "string") out[k] = v;
  return out;
}

function str(v: unknown): string {
  return typeof v === "string" ? v.trim() : "";
}

// ---- the timed work ----------------------------------------------------------------------------

const lastSweep = new Map<string, number>();
const SWEEP_EVERY_MS = 5_000;

/**
 * Releases no-shows and lapses unclaimed calls for a centre, at most every few seconds: the desk
 * pages and the TV (which asks every 2 s) keep a centre's reservations and queue moving.
 */
export async function sweepCentre(
  db: Executor,
  centreId: string,
  clock: Clock,
  log: FastifyBaseLogger,
): Promise<void> {
  const now = clock.now().getTime();
  const last = lastSweep.get(centreId);
  if (last !== undefined && now - last < SWEEP_EVERY_MS && now >= last) return;
  lastSweep.set(centreId, now);
  try {
    const done = await db.transaction().execute((trx) => accessSweep(trx, centreId, clock));
    if (done.released || done.expired || done.called.length)
      log.info({ centreId, ...done, called: done.called.length }, "access sweep");
  } catch (error) {
    log.warn({ err: error }, "access sweep failed");
  }
}

// ---- shared helpers ------------------------------------------------------------------------------

function durationOptions(t: ReturnType<typeof translator>, min: number, max: number): Option[] {
  const out: Option[] = [];
  for (let m = min; m <= max; m += SLOT_MINUTES)
    out.push({ value: String(m), label: t("reserve.minutes_n", { n: m }) });
  return out;
}

function addDays(day: string, n: number): string {
  const d = new Date(`${day}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

function statusLabel(t: ReturnType<typeof translator>, status: ReservationRow["status"]): string {
  return t(`reserve.status_${status}`);
}

interface GridOpts {
  /** The desk sees who booked; a member only sees "booked" (or "yours"). */
  viewer: { kind: "desk" } | { kind: "member"; memberId: string };
  linkBase: string;
  now: Date;
}

async function buildGrid(
  db: Executor,
  centreId: string,
  day: string,
  t: ReturnType<typeof translator>,
  opts: GridOpts,
): Promise<GridView> {
  const a = await availability(db, centreId, day);
  const pcs = a.pcs;
  return {
    pcs: pcs.map((p) => ({
      id: p.id,
      name: p.name,
      note: p.out_of_order ? t("reserve.out_of_order") : p.room === "lab" ? t("reserve.room_lab") : "",
    })),
    rows: a.slots.map((slot) => {
      const time = localTime(slot, a.timeZone);
      return {
        time,
        cells: pcs.map((p) => {
          if (p.out_of_order) return { kind: "unavailable" as const };
          const taken = a.taken.get(`${p.id}|${slot}`);
          if (taken) {
            let label: string;
            if (taken.kind === "class") label = taken.title;
            else if (opts.viewer.kind === "desk") label = taken.member_no ?? t("reserve.taken");
            else label = taken.member_id === opts.viewer.memberId ? t("reserve.yours") : t("reserve.taken");
            return { kind: "taken" as const, label, klass: taken.kind === "class" };
          }
          const future = Date.parse(slot) >= opts.now.getTime();
          const q = new URLSearchParams({ day, pc: p.id, start: time }).toString();
          return { kind: "free" as const, href: future ? `${opts.linkBase}?${q}#book` : null };
        }),
      };
    }),
  };
}

function itemOf(
  r: ReservationRow,
  t: ReturnType<typeof translator>,
  timeZone: string,
  now: Date,
  forMember: boolean,
): ReservationItem {
  const live = (r.status === "booked" || r.status === "claimed") && Date.parse(r.ends_at) > now.getTime();
  return {
    id: r.id,
    pc: r.pc_name,
    date: localDate(r.starts_at, timeZone),
    time: `${localTime(r.starts_at, timeZone)}–${localTime(r.ends_at, timeZone)}`,
    who: r.kind === "class" ? r.title : (r.member_no ?? "—"),
    status: statusLabel(t, r.status),
    canCancel: forMember ? r.status === "booked" && Date.parse(r.starts_at) > now.getTime() : live,
    canClaim:
      !forMember &&
      r.kind === "member" &&
      r.status === "booked" &&
      now.getTime() >= Date.parse(r.starts_at) - CLAIM_EARLY_MS &&
      now.getTime() < Date.parse(r.ends_at),
  };
}

function settingRows(t: ReturnType<typeof translator>, s: ReservationSettings) {
  return SETTING_KEYS.map((key) => ({
    key,
    label: t(`reserve.setting_${key}`),
    hint: t(`reserve.setting_${key}_hint`),
    value: String(s[key]),
  }));
}

// ---- routes ----------------------------------------------------------------------------------------

export async function accessReservationRoutes(base: FastifyInstance): Promise<void> {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const { db, clock, config } = app.deps;
  const desk = { staff: DESK };
  const managers = { staff: MANAGERS };

  async function workingCentreId(request: FastifyRequest): Promise<string> {
    const user = request.staff!.user;
    if (user.centre_id) return user.centre_id;
    const current = await app.currentCentre();
    if (!current) throw new NotFound("centre");
    return current.id;
  }

  async function timeZoneOf(centreId: string): Promise<string> {
    return (await centreTime(db, centreId)).timeZone ?? config.defaultTimeZone;
  }

  // ---- the desk ----------------------------------------------------------------------------------
  interface DeskState {
    day?: string;
    form?: "book" | "class" | "settings" | null;
    values?: Record<string, string>;
    chosenLab?: string[];
    errors?: FieldErrors;
    status?: number;
    flash?: { kind: "ok" | "bad"; text: string } | null;
  }

  async function renderDesk(request: FastifyRequest, reply: FastifyReply, state: DeskState) {
    const t = translator(request.locale);
    const centreId = await workingCentreId(request);
    await sweepCentre(db, centreId, clock, request.log);
    const now = clock.now();
    const tz = await timeZoneOf(centreId);
    const day = state.day ?? localDate(now, tz);
    const settings = await reservationSettings(db, centreId);
    const pcs = await listPcs(db, centreId, "lounge");
    const usable = pcs.filter((p) => !p.out_of_order);
    const grid = await buildGrid(db, centreId, day, t, {
      viewer: { kind: "desk" },
      linkBase: "/staff/reservations",
      now,
    });
    const rows = await dayReservations(db, centreId, day);
    const noon = localToInstant(day, "12:00", tz) ?? now;
    const isManager = MANAGERS.includes(request.staff!.user.role);
    return sendPage(request, reply, {
      title: t("reserve.desk_title"),
      status: state.status ?? 200,
      flash: state.flash ?? null,
      body: (
        <DeskReservationsPage
          t={t}
          csrf={csrfOf(request)}
          day={day}
          dayLabel={formatDate(request.locale, noon, tz)}
          previousHref={`/staff/reservations?day=${addDays(day, -1)}`}
          nextHref={`/staff/reservations?day=${addDays(day, 1)}`}
          grid={grid}
          items={rows.map((r) => itemOf(r, t, tz, now, false))}
          pcs={usable.map((p) => ({
            value: p.id,
            label: p.room === "lab" ? `${p.name} (${t("reserve.room_lab")})` : p.name,
          }))}
          labPcs={usable.filter((p) => p.room === "lab").map((p) => ({ value: p.id, label: p.name }))}
          durations={durationOptions(t, settings.min_minutes, settings.max_minutes)}
          classDurations={durationOptions(t, SLOT_MINUTES, CLASS_MAX_MINUTES)}
          form={state.form ?? null}
          values={state.values ?? {}}
          chosenLab={state.chosenLab ?? []}
          errors={state.errors ?? {}}
          settings={isManager ? settingRows(t, settings) : null}
        />
      ),
    });
  }

  const DONE = ["booked", "class", "cancelled", "claimed", "settings"] as const;

  app.get(
    "/staff/reservations",
    { config: { access: desk }, schema: { querystring: DayQuery, hide: true } },
    async (request, reply) => {
      const t = translator(request.locale);
      const { day, pc, start, done } = request.query;
      const flash =
        done && (DONE as readonly string[]).includes(done)
          ? { kind: "ok" as const, text: t(`reserve.done_${done as (typeof DONE)[number]}`) }
          : null;
      const values: Record<string, string> = {};
      if (pc) values.pc_id = pc;
      if (start) values.start = start;
      if (day) values.date = day;
      return renderDesk(request, reply, {
        ...(day ? { day } : {}),
        form: pc || start ? "book" : null,
        values,
        flash,
      });
    },
  );

  /** Runs a desk form; field problems come back beside that form's fields. */
  async function deskForm(
    request: FastifyRequest,
    reply: FastifyReply,
    form: "book" | "class" | "settings",
    action: () => Promise<string>,
  ) {
    const body = request.body as Record<string, unknown>;
    const values = strings(body);
    const day = /^\d{4}-\d{2}-\d{2}$/.test(values.date ?? "") ? values.date : undefined;
    try {
      const to = await action();
      return reply.redirect(to, 303);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      if (error.fields.length === 0) {
        if (error.status === 403 || error.status === 404) throw error;
        return renderDesk(request, reply, {
          ...(day ? { day } : {}),
          form,
          values,
          status: error.status,
          flash: { kind: "bad", text: accessErrorText(request.locale, error) },
        });
      }
      const chosen = body.pc_ids;
      return renderDesk(request, reply, {
        ...(day ? { day } : {}),
        form,
        values,
        chosenLab: Array.isArray(chosen) ? chosen.map(String) : typeof chosen === "string" ? [chosen] : [],
        errors: formErrors(request.locale, error.fields),
        status: error.status,
      });
    }
  }

  function startOf(body: Record<string, unknown>, tz: string): Date | null {
    return localToInstant(str(body.date), asciiDigits(str(body.start)), tz);
  }

  app.post(
    "/staff/reservations",
    { config: { access: desk }, schema: { body: FormBody, hide: true } },
    (request, reply) =>
      deskForm(request, reply, "book", async () => {
        const body = request.body;
        const centreId = await workingCentreId(request);
        const tz = await timeZoneOf(centreId);
        const number = asciiDigits(str(body.member_no)).toUpperCase();
        if (!number) throw new ValidationFailed([{ path: "/member_no", code: "required" }]);
        const member = await findMemberByNumber(db, number);
        if (!member) throw new ValidationFailed([{ path: "/member_no", code: "member_not_found" }]);
        const r = await db.transaction().execute((trx) =>
          bookForMember(
            trx,
            {
              pcId: str(body.pc_id),
              memberId: member.id,
              startsAt: startOf(body, tz),
              minutes: Number(str(body.minutes)),
            },
            { actor: request.actor(), clock },
          ),
        );
        return `/staff/reservations?day=${localDate(r.starts_at, tz)}&done=booked`;
      }),
  );

  app.post(
    "/staff/reservations/class",
    { config: { access: desk }, schema: { body: FormBody, hide: true } },
    (request, reply) =>
      deskForm(request, reply, "class", async () => {
        const body = request.body;
        const centreId = await workingCentreId(request);
        const tz = await timeZoneOf(centreId);
        const chosen = Array.isArray(body.pc_ids)
          ? body.pc_ids.map(String)
          : typeof body.pc_ids === "string"
            ? [body.pc_ids]
            : [];
        const rows = await db.transaction().execute((trx) =>
          bookClass(
            trx,
            centreId,
            {
              title: str(body.title),
              pcIds: body.all_lab === "1" ? "all" : chosen,
              startsAt: startOf(body, tz),
              minutes: Number(str(body.minutes)),
            },
            { actor: request.actor(), clock },
          ),
        );
        return `/staff/reservations?day=${localDate(rows[0]!.starts_at, tz)}&done=class`;
      }),
  );

  app.post(
    "/staff/reservations/settings",
    { config: { access: managers }, schema: { body: FormBody, hide: true } },
    (request, reply) =>
      deskForm(request, reply, "settings", async () => {
        const centreId = await workingCentreId(request);
        await db
          .transaction()
          .execute((trx) =>
            saveReservationSettings(trx, centreId, request.body, { actor: request.actor(), clock }),
          );
        return "/staff/reservations?done=settings#settings";
      }),
  );

  for (const what of ["cancel", "claim"] as const) {
    app.post(
      `/staff/reservations/:id/${what}`,
      { config: { access: desk }, schema: { params: IdParams, body: FormBody, hide: true } },
      (request, reply) =>
        deskForm(request, reply, "book", async () => {
          const ctx = { actor: request.actor(), clock };
          const r = await db
            .transaction()
            .execute((trx) =>
              what === "cancel"
                ? cancelReservation(trx, request.params.id, ctx)
                : claimReservation(trx, request.params.id, ctx),
            );
          const tz = await timeZoneOf(r.centre_id);
          return `/staff/reservations?day=${localDate(r.starts_at, tz)}&done=${what === "cancel" ? "cancelled" : "claimed"}`;
        }),
    );
  }

  // ---- a member's own bookings -------------------------------------------------------------------
  /** The signed-in member acts for themselves here, even if a staff session shares the browser. */
  const memberCtx = (request: FastifyRequest) => {
    const m = request.member!.member;
    return {
      actor: { kind: "member" as const, id: m.id, name: m.member_no, centreId: m.centre_id, ip: request.ip },
      clock,
    };
  };

  for (const locale of LOCALES) {
    const t = translator(locale);
    const base = `/${locale}/account/reservations`;

    const renderMine = async (
      request: FastifyRequest,
      reply: FastifyReply,
      state: {
        day?: string;
        values?: Record<string, string>;
        errors?: FieldErrors;
        status?: number;
        flash?: { kind: "ok" | "bad"; text: string } | null;
      },
    ) => {
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
            items={mine.map((r) => itemOf(r, t, tz, now, true))}
            day={day}
            dayLabel={dates.find((d) => d.value === day)?.label ?? day}
            dates={dates}
            grid={await buildGrid(db, m.centre_id, day, t, {
              viewer: { kind: "member", memberId: m.id },
              linkBase: base,
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
    };

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
        return renderMine(request, reply, { ...(day ? { day } : {}), values, flash });
      },
    );

    app.post(base, { config: { access: "member" }, schema: { body: FormBody } }, async (request, reply) => {
      const body = request.body;
      const m = request.member!.member;
      const tz = await timeZoneOf(m.centre_id);
      const values = strings(body);
      try {
        const r = await db.transaction().execute((trx) =>
          bookForMember(
            trx,
            {
              pcId: str(body.pc_id),
              memberId: m.id,
              startsAt: localToInstant(str(body.date), asciiDigits(str(body.start)), tz),
              minutes: Number(str(body.minutes)),
            },
            memberCtx(request),
          ),
        );
        return reply.redirect(`${base}?day=${localDate(r.starts_at, tz)}&done=booked`, 303);
      } catch (error) {
        if (!(error instanceof DomainError) || error.fields.length === 0) throw error;
        return renderMine(request, reply, {
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
          return renderMine(request, reply, {
            status: error.status,
            flash: { kind: "bad", text: accessErrorText(locale, error) },
          });
        }
      },
    );
  }
}
