// The desk's reservations (/staff/reservations): the day grid, booking for a member, class
// block-booking, cancel, claim and (for managers) the settings.

import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { formatDate, translator } from "../../i18n/index.ts";
import { DESK, MANAGERS } from "../../identity/policy.ts";
import { csrfOf } from "../../identity/routes.tsx";
import { asciiDigits } from "../../members/memberInput.ts";
import { findMemberByNumber } from "../../members/queries.ts";
import { DomainError, ValidationFailed } from "../../server/errors.ts";
import { formErrors } from "../../server/forms.ts";
import { sendPage } from "../../server/render.tsx";
import type { FieldErrors } from "../../ui/forms.tsx";
import { availability, dayReservations } from "../availability.ts";
import { bookClass, CLASS_MAX_MINUTES } from "../bookClass.ts";
import { bookForMember } from "../bookForMember.ts";
import { centreTime, localDate, localToInstant } from "../centreTime.ts";
import { listPcs } from "../queries.ts";
import { cancelReservation, claimReservation } from "../reservationLifecycle.ts";
import {
  addDays,
  durationOptions,
  gridView,
  reservationItem,
  settingRows,
} from "../reservationPresenters.ts";
import { reservationSettings, saveReservationSettings, SLOT_MINUTES } from "../reservationSettings.ts";
import { DeskReservationsPage } from "../views/ReservationPages.tsx";
import { bookingStart, formList, formText, formValues, refusalText, staffCentreId } from "./helpers.ts";
import { DayQuery, FormBody, IdParams } from "./schemas.ts";
import { sweepCentre } from "./sweep.ts";

type DeskForm = "book" | "class" | "settings";

interface DeskState {
  day?: string;
  form?: DeskForm | null;
  values?: Record<string, string>;
  chosenLab?: string[];
  errors?: FieldErrors;
  status?: number;
  flash?: { kind: "ok" | "bad"; text: string } | null;
}

const DONE = ["booked", "class", "cancelled", "claimed", "settings"] as const;

export async function reservationDeskRoutes(base: FastifyInstance): Promise<void> {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const { db, clock, config } = app.deps;
  const desk = { staff: DESK };
  const managers = { staff: MANAGERS };

  async function timeZoneOf(centreId: string): Promise<string> {
    return (await centreTime(db, centreId)).timeZone ?? config.defaultTimeZone;
  }

  async function renderDesk(request: FastifyRequest, reply: FastifyReply, state: DeskState) {
    const t = translator(request.locale);
    const centreId = await staffCentreId(app, request);
    await sweepCentre(db, centreId, clock, request.log);
    const now = clock.now();
    const tz = await timeZoneOf(centreId);
    const day = state.day ?? localDate(now, tz);
    const settings = await reservationSettings(db, centreId);
    const pcs = await listPcs(db, centreId, "lounge");
    const usable = pcs.filter((p) => !p.out_of_order);
    const grid = gridView(await availability(db, centreId, day), t, {
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
          items={rows.map((r) => reservationItem(r, t, tz, now, false))}
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

  /**
   * Runs a desk form and redirects to the page it names. Field problems come back beside that
   * form's fields, other refusals as a notice on the page; a 403 or 404 goes to the error handler.
   */
  async function deskForm(
    request: FastifyRequest,
    reply: FastifyReply,
    form: DeskForm,
    action: () => Promise<string>,
  ) {
    const body = request.body as Record<string, unknown>;
    const values = formValues(body);
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
          flash: { kind: "bad", text: refusalText(request.locale, error) },
        });
      }
      return renderDesk(request, reply, {
        ...(day ? { day } : {}),
        form,
        values,
        chosenLab: formList(body.pc_ids),
        errors: formErrors(request.locale, error.fields),
        status: error.status,
      });
    }
  }

  app.post(
    "/staff/reservations",
    { config: { access: desk }, schema: { body: FormBody, hide: true } },
    (request, reply) =>
      deskForm(request, reply, "book", async () => {
        const body = request.body;
        const centreId = await staffCentreId(app, request);
        const tz = await timeZoneOf(centreId);
        const number = asciiDigits(formText(body.member_no)).toUpperCase();
        if (!number) throw new ValidationFailed([{ path: "/member_no", code: "required" }]);
        const member = await findMemberByNumber(db, number);
        if (!member) throw new ValidationFailed([{ path: "/member_no", code: "member_not_found" }]);
        const r = await db.transaction().execute((trx) =>
          bookForMember(
            trx,
            {
              pcId: formText(body.pc_id),
              memberId: member.id,
              startsAt: bookingStart(body, tz),
              minutes: Number(formText(body.minutes)),
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
        const centreId = await staffCentreId(app, request);
        const tz = await timeZoneOf(centreId);
        const rows = await db.transaction().execute((trx) =>
          bookClass(
            trx,
            centreId,
            {
              title: formText(body.title),
              pcIds: body.all_lab === "1" ? "all" : formList(body.pc_ids),
              startsAt: bookingStart(body, tz),
              minutes: Number(formText(body.minutes)),
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
        const centreId = await staffCentreId(app, request);
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
}
