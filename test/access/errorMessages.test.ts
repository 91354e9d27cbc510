// Reservation, queue and PC refusals reach people as their own message, in Urdu and English, with a
// 4xx status: both when a route shows them itself and when they escape to the one error handler
// (a JSON call, or a form post the route does not catch), and a field's problem is named by the
// field's label, never its path. Over real HTTP, on both databases.

import assert from "node:assert/strict";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { takeTicket } from "../../src/access/queue.ts";
import { refusalText } from "../../src/access/routes/helpers.ts";
import { startMemberSession } from "../../src/access/sessions.ts";
import { cliActor } from "../../src/audit/actor.ts";
import { manualClock } from "../../src/db/clock.ts";
import { newId } from "../../src/db/ids.ts";
import type { MemberTable, PcTable } from "../../src/db/schema.ts";
import { hasMessage, LOCALES, t, type Locale, type MessageKey } from "../../src/i18n/index.ts";
import { createStaffUser } from "../../src/identity/createStaffUser.ts";
import { hashPassword } from "../../src/identity/passwords.ts";
import type { App } from "../../src/server/app.ts";
import type { DomainError } from "../../src/server/errors.ts";
import { csrfFrom, makeCentre, PASSWORD, signIn } from "../helpers/app.ts";
import { onBothDatabases } from "../helpers/db.ts";
import { addMember, addPc, appWithAccess, memberCookie } from "./reservationFixtures.ts";

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

// ---- PC access: the desk's PC grid and settings, and the kiosk lock screen ----------------------

/** Fields whose problems the PC desk, the kiosk and the error handler show after their label. */
const LABELLED_FIELDS = ["who", "member", "pc", "text", "start", "day"];

describe("PC access messages", () => {
  it("a member who is not active gets a PC message, not the card's; labelled fields have labels", () => {
    for (const locale of LOCALES) {
      assert.ok(hasMessage("error.member_not_active_for_pc"));
      assert.notEqual(t(locale, "error.member_not_active_for_pc"), t(locale, "error.member_not_active"));
      assert.notEqual(t(locale, "error.member_not_active_for_pc"), t(locale, "error.bad_request"));
      for (const field of LABELLED_FIELDS)
        assert.ok(hasMessage(`label.${field}`), `label.${field} is missing`);
    }
  });
});

onBothDatabases("PC access refusals over HTTP", (get) => {
  const clock = manualClock(NOW);
  let app: App;
  let base = "";
  const manager: Record<"en" | "ur", { cookie: string; csrf: string }> = {} as never;
  let pcs: Record<"plain" | "adults" | "moving", PcTable>;
  let pending: MemberTable;
  let banned: MemberTable;
  let young: MemberTable;
  let bannedMemberCookie: string;
  const PIN = "8264";

  before(async () => {
    const tdb = get();
    const centre = await makeCentre(tdb, {}, true);
    app = await appWithAccess(tdb, clock);
    await app.listen({ port: 0, host: "127.0.0.1" });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    for (const locale of LOCALES) {
      const user = await createStaffUser(
        tdb.db,
        {
          username: `pcmgr-${locale}-${process.pid % 1000}`,
          displayName: `Manager ${locale}`,
          role: "centre_manager",
          centreId: centre.id,
          password: PASSWORD,
          locale,
        },
        { actor: cliActor(), clock },
      );
      manager[locale] = await signIn(app, user.username);
    }
    pcs = {
      plain: await addPc(tdb.db, centre.id, "PC-01"),
      adults: await addPc(tdb.db, centre.id, "PC-02", "lounge", { min_age: 18 }),
      moving: await addPc(tdb.db, centre.id, "PC-03"),
    };
    const pin_hash = await hashPassword(PIN);
    pending = await addMember(tdb.db, centre.id, clock, { status: "pending", pin_hash });
    banned = await addMember(tdb.db, centre.id, clock, { pin_hash });
    young = await addMember(tdb.db, centre.id, clock, { date_of_birth: "2014-01-01", pin_hash });
    bannedMemberCookie = await memberCookie(tdb.db, banned.id, clock);
  });
  after(() => app?.close());

  const post = (path: string, auth: { cookie: string; csrf: string }, fields: Record<string, string> = {}) =>
    fetch(`${base}${path}`, {
      method: "POST",
      redirect: "manual",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        accept: "text/html",
        cookie: auth.cookie,
        origin: base,
      },
      body: new URLSearchParams({ _csrf: auth.csrf, ...fields }).toString(),
    });

  /** The message as a person sees it beside a field's label, e.g. "Member: Banned until …". */
  const labelled = (locale: Locale, field: string, code: string, params?: Record<string, string | number>) =>
    `${t(locale, `label.${field}` as MessageKey)}: ${t(locale, `field.${code}` as MessageKey, params)}`;

  it("a ban for a member number nobody has says so, in Urdu and English (400)", async () => {
    for (const locale of LOCALES) {
      const res = await post("/staff/pcs/bans", manager[locale], {
        member: "RM-NOBODY-1",
        until: "2026-12-31",
        note: "test",
      });
      const html = await res.text();
      assert.equal(res.status, 400);
      assert.ok(html.includes(t(locale, "field.member_not_found")), html.slice(0, 500));
      assert.ok(!html.includes(t(locale, "field.invalid")), `generic message shown in ${locale}`);
    }
  });

  it("a ban takes a member number typed in Urdu digits, and an erased member cannot be banned", async () => {
    const db = get().db;
    const urduDigits = (s: string) => s.replace(/[0-9]/g, (d) => String.fromCharCode(0x06f0 + Number(d)));
    const typed = await addMember(db, banned.centre_id, clock);
    const res = await post("/staff/pcs/bans", manager.en, {
      member: urduDigits(typed.member_no).toLowerCase(),
      until: "2026-12-31",
      note: "typed on a phone",
    });
    assert.equal(res.status, 200, (await res.text()).slice(0, 300));
    const bans = await db.selectFrom("bans").select("member_id").where("member_id", "=", typed.id).execute();
    assert.equal(bans.length, 1);

    const erased = await addMember(db, banned.centre_id, clock, { status: "erased" });
    for (const locale of LOCALES) {
      const refused = await post("/staff/pcs/bans", manager[locale], {
        member: erased.member_no,
        until: "2026-12-31",
        note: "test",
      });
      assert.equal(refused.status, 400);
      assert.ok((await refused.text()).includes(t(locale, "field.member_not_found")));
    }
    const none = await db.selectFrom("bans").select("id").where("member_id", "=", erased.id).execute();
    assert.equal(none.length, 0);

    // The desk's start form reads Urdu digits the same way.
    const pc = await addPc(db, banned.centre_id, "PC-09");
    const walkIn = await addMember(db, banned.centre_id, clock);
    const started = await post(`/staff/pcs/${pc.id}/start`, manager.ur, {
      who: urduDigits(walkIn.member_no),
    });
    assert.equal(started.status, 303, (await started.text()).slice(0, 300));
  });

  it("the desk cannot start a PC for a member who is not active: a PC message, in Urdu and English (409)", async () => {
    for (const locale of LOCALES) {
      const res = await post(`/staff/pcs/${pcs.plain.id}/start`, manager[locale], { who: pending.member_no });
      const html = await res.text();
      assert.equal(res.status, 409);
      assert.ok(html.includes(t(locale, "error.member_not_active_for_pc")), html.slice(0, 500));
      assert.ok(
        !html.includes(t(locale, "error.member_not_active")),
        `the card's message shown in ${locale}`,
      );
    }
  });

  it("the kiosk would show the same PC message in both languages (no kiosk sign-in reaches it)", async () => {
    // The kiosk signs in only active members (a pending member's PIN gets member_pending, a card
    // of a member who is not active is unknown), so its lock screen's words are checked directly.
    const error = await get()
      .db.transaction()
      .execute((trx) => startMemberSession(trx, pcs.plain.id, pending, { actor: cliActor(), clock }))
      .then(
        () => assert.fail("started a session for a pending member"),
        (e: unknown) => e as DomainError,
      );
    assert.equal(error.code, "member_not_active_for_pc");
    for (const locale of LOCALES)
      assert.equal(refusalText(locale, error), t(locale, "error.member_not_active_for_pc"));
  });

  it("desk refusals about a field name it by its label, not its path, in Urdu and English", async () => {
    const ban = await post("/staff/pcs/bans", manager.en, {
      member: banned.member_no,
      until: "2026-12-01",
      note: "test",
    });
    assert.equal(ban.status, 200);
    const running = await post(`/staff/pcs/${pcs.moving.id}/start`, manager.en, { who: young.member_no });
    assert.equal(running.status, 303, await running.text());
    const session = await get()
      .db.selectFrom("pc_sessions")
      .select("id")
      .where("pc_id", "=", pcs.moving.id)
      .where("ended_at", "is", null)
      .executeTakeFirstOrThrow();

    for (const locale of LOCALES) {
      const cases: [Response, number, string][] = [
        [
          await post(`/staff/pcs/${pcs.plain.id}/start`, manager[locale], { who: banned.member_no }),
          409,
          labelled(locale, "member", "banned", { until: "2026-12-01" }),
        ],
        [
          await post(`/staff/pcs/${pcs.adults.id}/start`, manager[locale], { who: "" }),
          400,
          labelled(locale, "who", "required"),
        ],
        [
          await post(`/staff/pcs/${pcs.plain.id}/message`, manager[locale], { text: " " }),
          400,
          labelled(locale, "text", "required"),
        ],
        [
          await post(`/staff/pcs/sessions/${session.id}/move`, manager[locale], { to: "PC-99" }),
          400,
          t(locale, "error.pc_not_found"),
        ],
      ];
      for (const [res, status, message] of cases) {
        const html = await res.text();
        assert.equal(res.status, status, message);
        assert.ok(html.includes(message), `${message} not in ${html.slice(0, 800)}`);
        assert.doesNotMatch(
          html,
          /role="alert">\s*(member|who|text|to|pc):/,
          `a raw path shown in ${locale}`,
        );
      }
    }
  });

  it("the kiosk lock screen labels a banned member and an age-limited PC in both languages", async () => {
    for (const [pc, member, field, code, params] of [
      [pcs.plain, banned, "member", "banned", { until: "2026-12-01" }],
      [pcs.adults, young, "pc", "age_limit", { age: 18 }],
    ] as const) {
      const page = await fetch(`${base}/kiosk/${pc.name}`);
      const cookie = page.headers
        .getSetCookie()
        .map((c) => c.split(";")[0])
        .join("; ");
      const res = await post(
        `/kiosk/${pc.name}/login`,
        { cookie, csrf: csrfFrom(await page.text()) },
        {
          method: "pin",
          login: member.member_no,
          pin: PIN,
        },
      );
      const html = await res.text();
      assert.equal(res.status, 409, html.slice(0, 500));
      for (const locale of LOCALES) {
        const message = labelled(locale, field, code, params);
        assert.ok(html.includes(message), `${message} not on the lock screen`);
      }
      assert.ok(!html.includes(`${field}: `), "a raw field path on the lock screen");
    }
  });

  it("a field error that reaches the error handler as JSON names the field by its label, in Urdu and English", async () => {
    const getJson = (path: string, cookie: string) =>
      fetch(`${base}${path}`, { headers: { accept: "application/json", cookie } });
    type Body = { error: { code: string; fields: { path: string; code: string; message: string }[] } };
    for (const locale of LOCALES) {
      for (const [path, cookie] of [
        [`/staff/reservations`, manager[locale].cookie],
        [`/${locale}/account/reservations`, bannedMemberCookie],
      ] as const) {
        for (const [query, field] of [
          ["start=9am", "start"],
          ["day=tomorrow", "day"],
          ["pc=PC-01", "pc"],
        ] as const) {
          const res = await getJson(`${path}?${query}`, cookie);
          assert.equal(res.status, 400);
          const body = (await res.json()) as Body;
          assert.equal(body.error.code, "validation_failed");
          assert.deepEqual(body.error.fields, [
            { path: `/${field}`, code: "invalid_format", message: labelled(locale, field, "invalid_format") },
          ]);
        }
      }
    }
  });
});
