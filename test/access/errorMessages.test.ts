// Reservation and queue refusals reach people as their own message, in Urdu and English, with a
// 4xx status: both when a route shows them itself and when they escape to the one error handler
// (a JSON call, or a form post the route does not catch). Over real HTTP, on both databases.

import assert from "node:assert/strict";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { takeTicket } from "../../src/access/queue.ts";
import { cliActor } from "../../src/audit/actor.ts";
import { manualClock } from "../../src/db/clock.ts";
import { newId } from "../../src/db/ids.ts";
import { hasMessage, LOCALES, t, type MessageKey } from "../../src/i18n/index.ts";
import { createStaffUser } from "../../src/identity/createStaffUser.ts";
import type { App } from "../../src/server/app.ts";
import { csrfFrom, makeCentre, PASSWORD, signIn } from "../helpers/app.ts";
import { onBothDatabases } from "../helpers/db.ts";
import { addMember, appWithAccess, memberCookie } from "./reservationFixtures.ts";

const NOW = "2026-11-25T06:00:00Z";

/** What the reservation and queue use cases refuse with: the error's code, and its fields' codes. */
const ERROR_CODES = [
  "slot_taken",
  "class_clash",
  "too_many_bookings",
  "member_overlap",
  "too_close",
  "reservation_not_booked",
  "reservation_started",
  "reservation_over",
  "claim_too_early",
  "reservation_not_found",
  "ticket_not_called",
  "call_expired",
  "ticket_not_waiting",
  "queue_ticket_not_found",
];
const FIELD_CODES = [
  "not_on_slot",
  "not_whole_slots",
  "booking_too_short",
  "booking_too_long",
  "in_past",
  "beyond_horizon",
  "outside_hours",
  "slot_taken",
  "class_clash",
  "too_many_bookings",
  "member_overlap",
  "too_close",
  "member_not_found",
  "member_not_bookable",
  "member_other_centre",
  "member_banned",
  "pc_out_of_order",
  "pc_min_age",
  "no_lab_pcs",
  "max_below_min",
];

/** A value for every placeholder those messages have. */
const PARAMS = {
  clashes: "PC-01 10:00–10:15",
  slot: 15,
  min: 15,
  max: 120,
  days: 7,
  when: "2026-11-26 10:00–10:30",
  gap: 15,
  pc: "PC-01",
  age: 12,
};

describe("reservation and queue messages", () => {
  it("every refusal has its own message where the error handler looks, in both languages", () => {
    for (const [prefix, codes] of [
      ["error", ERROR_CODES],
      ["field", FIELD_CODES],
    ] as const) {
      for (const code of codes) {
        const key = `${prefix}.${code}`;
        assert.ok(hasMessage(key), `${key} is missing`);
        for (const locale of LOCALES) {
          const generic = t(locale, prefix === "error" ? "error.bad_request" : "field.invalid");
          assert.notEqual(t(locale, key as MessageKey, PARAMS), generic, key);
        }
      }
    }
  });
});

onBothDatabases("reservation and queue refusals over HTTP", (get) => {
  const clock = manualClock(NOW);
  let app: App;
  let base = "";
  const staff: Record<"en" | "ur", { cookie: string; csrf: string }> = {} as never;
  let memberAuth: { cookie: string; csrf: string };

  before(async () => {
    const tdb = get();
    const centre = await makeCentre(tdb, {}, true);
    app = await appWithAccess(tdb, clock);
    await app.listen({ port: 0, host: "127.0.0.1" });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    for (const locale of ["en", "ur"] as const) {
      const user = await createStaffUser(
        tdb.db,
        {
          username: `desk-${locale}-${process.pid % 1000}`,
          displayName: `Desk ${locale}`,
          role: "staff",
          centreId: centre.id,
          password: PASSWORD,
          locale,
        },
        { actor: cliActor(), clock },
      );
      staff[locale] = await signIn(app, user.username);
    }
    const member = await addMember(tdb.db, centre.id, clock);
    const cookie = await memberCookie(tdb.db, member.id, clock);
    const page = await fetch(`${base}/en/account/reservations`, { headers: { cookie } });
    memberAuth = { cookie, csrf: csrfFrom(await page.text()) };
    await takeTicket(tdb.db, centre.id, { actor: cliActor(), clock });
  });
  after(() => app?.close());

  const post = (path: string, auth: { cookie: string; csrf: string }, accept = "text/html") =>
    fetch(`${base}${path}`, {
      method: "POST",
      redirect: "manual",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        accept,
        cookie: auth.cookie,
        origin: base,
      },
      body: new URLSearchParams({ _csrf: auth.csrf }).toString(),
    });

  const GENERIC = [t("en", "error.bad_request"), t("ur", "error.bad_request")];

  it("a booking that does not exist: the member's own page, in Urdu and English (404)", async () => {
    for (const locale of LOCALES) {
      const res = await post(`/${locale}/account/reservations/${newId()}/cancel`, memberAuth);
      const body = await res.text();
      assert.equal(res.status, 404);
      assert.ok(body.includes(t(locale, "error.reservation_not_found" as MessageKey)), body.slice(0, 500));
      for (const g of GENERIC) assert.ok(!body.includes(g), `generic message shown in ${locale}`);
    }
  });

  it("a booking that does not exist: the desk's JSON answer, in Urdu and English (404)", async () => {
    for (const locale of LOCALES) {
      const res = await post(`/staff/reservations/${newId()}/claim`, staff[locale], "application/json");
      assert.equal(res.status, 404);
      const body = (await res.json()) as { error: { code: string; message: string } };
      assert.deepEqual(body.error, {
        code: "reservation_not_found",
        message: t(locale, "error.reservation_not_found" as MessageKey),
      });
    }
  });

  it("a queue ticket that does not exist: the desk's page and JSON, in Urdu and English (404)", async () => {
    for (const locale of LOCALES) {
      const page = await post(`/staff/queue/${newId()}/claim`, staff[locale]);
      const html = await page.text();
      assert.equal(page.status, 404);
      assert.ok(html.includes(t(locale, "error.queue_ticket_not_found" as MessageKey)), html.slice(0, 500));
      for (const g of GENERIC) assert.ok(!html.includes(g), `generic message shown in ${locale}`);

      const json = await post(`/staff/queue/${newId()}/cancel`, staff[locale], "application/json");
      assert.equal(json.status, 404);
      assert.deepEqual(((await json.json()) as { error: unknown }).error, {
        code: "queue_ticket_not_found",
        message: t(locale, "error.queue_ticket_not_found" as MessageKey),
      });
    }
  });

  it("a waiting ticket cannot be claimed: the desk says why, in Urdu and English (409)", async () => {
    const desk = await fetch(`${base}/staff/queue`, { headers: { cookie: staff.en.cookie } });
    const id = /action="\/staff\/queue\/([0-9a-f-]{36})\/cancel"/.exec(await desk.text())![1]!;
    for (const locale of LOCALES) {
      const res = await post(`/staff/queue/${id}/claim`, staff[locale]);
      const body = await res.text();
      assert.equal(res.status, 409);
      assert.ok(body.includes(t(locale, "error.ticket_not_called" as MessageKey)), body.slice(0, 500));
    }
  });
});
