import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { callNext, takeTicket } from "../../src/access/queue.ts";
import { manualClock } from "../../src/db/clock.ts";
import type { MemberTable, PcTable } from "../../src/db/schema.ts";
import type { App } from "../../src/server/app.ts";
import { csrfFrom, form, FORM, makeCentre, makeStaff, signIn } from "../helpers/app.ts";
import { onBothDatabases } from "../helpers/db.ts";
import { addMember, addPc, anonymous, appWithAccess, memberCookie } from "./reservationFixtures.ts";

// Wednesday 25 November 2026, 11:00 in Karachi.
const NOW = "2026-11-25T06:00:00Z";

onBothDatabases("reservation and queue pages", (get) => {
  const clock = manualClock(NOW);
  let app: App;
  let centre: { id: string; code: string };
  let other: { id: string; code: string };
  const who: Record<string, { cookie: string; csrf: string }> = {};
  const pcs: Record<string, PcTable> = {};
  let member: MemberTable;
  let memberAuth: { cookie: string; csrf: string };

  before(async () => {
    const tdb = get();
    centre = await makeCentre(tdb, {}, true);
    other = await makeCentre(tdb);
    app = await appWithAccess(tdb, clock);
    for (const [key, role, centreId] of [
      ["hq", "hq_admin", null],
      ["manager", "centre_manager", centre.id],
      ["staff", "staff", centre.id],
      ["instructor", "instructor", centre.id],
      ["otherStaff", "staff", other.id],
    ] as const) {
      const u = await makeStaff(tdb, role, centreId);
      who[key] = await signIn(app, u.username);
    }
    for (const [name, room] of [
      ["A1", "lounge"],
      ["A2", "lounge"],
      ["L1", "lab"],
      ["L2", "lab"],
    ] as const)
      pcs[name] = await addPc(tdb.db, centre.id, name, room);
    member = await addMember(tdb.db, centre.id, clock);
    const cookie = await memberCookie(tdb.db, member.id, clock);
    const page = await app.inject({ method: "GET", url: "/en/account/reservations", headers: { cookie } });
    memberAuth = { cookie, csrf: csrfFrom(page.body) };
  });
  after(() => app?.close());

  const post = (url: string, as: string, body: Record<string, string | string[]>) => {
    const auth = as === "member" ? memberAuth : who[as]!;
    const params = new URLSearchParams({ _csrf: auth.csrf });
    for (const [k, v] of Object.entries(body)) for (const one of [v].flat()) params.append(k, one);
    return app.inject({
      method: "POST",
      url,
      headers: { ...FORM, cookie: auth.cookie },
      payload: params.toString(),
    });
  };
  const getAs = (url: string, as: string) =>
    app.inject({
      method: "GET",
      url,
      headers: { cookie: as === "member" ? memberAuth.cookie : who[as]!.cookie },
    });
  const booking = (over: Record<string, string> = {}) => ({
    member_no: member.member_no,
    pc_id: pcs.A1!.id,
    date: "2026-11-26",
    start: "10:00",
    minutes: "30",
    ...over,
  });

  it("the desk grid is for front-desk staff, managers and headquarters; not instructors or the public", async () => {
    const page = await getAs("/staff/reservations?day=2026-11-26", "staff");
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /PC reservations/);
    assert.match(page.body, /<bdi>A1<\/bdi>/);
    assert.match(
      page.body,
      /href="\/staff\/reservations\?day=2026-11-26&amp;pc=[0-9a-f-]{36}&amp;start=09%3A00#book"/,
    );
    assert.doesNotMatch(page.body, /action="\/staff\/reservations\/settings"/, "settings are for managers");
    const manager = await getAs("/staff/reservations", "manager");
    assert.match(manager.body, /action="\/staff\/reservations\/settings"/);
    assert.equal((await getAs("/staff/reservations", "hq")).statusCode, 200);
    assert.equal((await getAs("/staff/reservations", "instructor")).statusCode, 403);
    const anon = await app.inject({ method: "GET", url: "/staff/reservations" });
    assert.equal(anon.statusCode, 303);
    assert.match(String(anon.headers.location), /^\/staff\/login/);
  });

  let bookedId = "";
  it("books for a member by member number; problems are named beside the fields", async () => {
    const ok = await post("/staff/reservations", "staff", booking());
    assert.equal(ok.statusCode, 303, ok.body.slice(0, 300));
    assert.equal(ok.headers.location, "/staff/reservations?day=2026-11-26&done=booked");
    const page = await getAs(String(ok.headers.location), "staff");
    assert.match(page.body, /Booked\./);
    assert.match(page.body, new RegExp(`<mark>${member.member_no}</mark>`));
    bookedId = /action="\/staff\/reservations\/([0-9a-f-]{36})\/cancel"/.exec(page.body)![1]!;

    const odd = await post("/staff/reservations", "staff", booking({ start: "10:10", member_no: "" }));
    assert.equal(odd.statusCode, 400);
    assert.match(odd.body, /id="e-member_no"[^>]*>This field is required/);
    const misaligned = await post("/staff/reservations", "staff", booking({ start: "10:10" }));
    assert.equal(misaligned.statusCode, 400);
    assert.match(misaligned.body, /id="e-start"[^>]*>Start on the quarter hour/);
    assert.match(misaligned.body, /aria-invalid="true"/);
    const unknown = await post("/staff/reservations", "staff", booking({ member_no: "NOPE-1" }));
    assert.match(unknown.body, /id="e-member_no"[^>]*>No member has this number/);

    const someone = await addMember(get().db, centre.id, clock);
    const taken = await post(
      "/staff/reservations",
      "staff",
      booking({ member_no: someone.member_no, start: "10:15" }),
    );
    assert.equal(taken.statusCode, 409);
    assert.match(
      taken.body,
      /id="e-start"[^>]*>Already booked: A1 10:15–10:30\. Choose another time or PC\./,
    );
  });

  it("refuses another centre's desk, and CSRF-less posts", async () => {
    const foreign = await post("/staff/reservations", "otherStaff", booking({ start: "12:00" }));
    assert.equal(foreign.statusCode, 403, "a PC of another centre");
    assert.equal((await post(`/staff/reservations/${bookedId}/cancel`, "otherStaff", {})).statusCode, 403);
    const noToken = await app.inject({
      method: "POST",
      url: "/staff/reservations",
      headers: { ...FORM, cookie: who.staff!.cookie },
      payload: form(booking({ start: "12:00" })),
    });
    assert.equal(noToken.statusCode, 403);
    assert.equal(
      (await post("/staff/reservations", "instructor", booking({ start: "12:00" }))).statusCode,
      403,
    );
  });

  it("block-books the lab; a clash is refused beside the PCs with the clashing PC and time", async () => {
    const someone = await addMember(get().db, centre.id, clock);
    assert.equal(
      (
        await post(
          "/staff/reservations",
          "staff",
          booking({ member_no: someone.member_no, pc_id: pcs.L2!.id, start: "14:00" }),
        )
      ).statusCode,
      303,
    );
    const clash = await post("/staff/reservations/class", "manager", {
      title: "Spreadsheets",
      all_lab: "1",
      date: "2026-11-26",
      start: "13:00",
      minutes: "120",
    });
    assert.equal(clash.statusCode, 409);
    assert.match(clash.body, /id="e-pc_ids"[^>]*>These PCs are already booked then: L2 14:00–14:30\./);
    const ok = await post("/staff/reservations/class", "manager", {
      title: "Spreadsheets",
      pc_ids: [pcs.L1!.id],
      date: "2026-11-26",
      start: "13:00",
      minutes: "120",
    });
    assert.equal(ok.statusCode, 303, ok.body.slice(0, 400));
    const page = await getAs("/staff/reservations?day=2026-11-26", "staff");
    assert.match(page.body, /<strong>Spreadsheets<\/strong>/);
  });

  it("claims and cancels from the day list", async () => {
    const db = get().db;
    const today = await addMember(db, centre.id, clock);
    assert.equal(
      (
        await post(
          "/staff/reservations",
          "staff",
          booking({ member_no: today.member_no, date: "2026-11-25", start: "11:15" }),
        )
      ).statusCode,
      303,
    );
    const row = await db
      .selectFrom("reservations")
      .select("id")
      .where("member_id", "=", today.id)
      .executeTakeFirstOrThrow();
    const claimed = await post(`/staff/reservations/${row.id}/claim`, "staff", {});
    assert.equal(claimed.statusCode, 303);
    const again = await post(`/staff/reservations/${row.id}/claim`, "staff", {});
    assert.equal(again.statusCode, 409);
    assert.match(again.body, /This booking is no longer active\./);
    const cancelled = await post(`/staff/reservations/${bookedId}/cancel`, "staff", {});
    assert.equal(cancelled.statusCode, 303);
    assert.match(String(cancelled.headers.location), /done=cancelled/);
  });

  it("managers change the settings; bad values are named; front-desk staff cannot", async () => {
    const values = {
      min_minutes: "15",
      max_minutes: "90",
      gap_minutes: "0",
      max_future: "3",
      grace_minutes: "10",
      horizon_days: "7",
      claim_minutes: "3",
    };
    const bad = await post("/staff/reservations/settings", "manager", {
      ...values,
      min_minutes: "20",
      claim_minutes: "0",
    });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /id="e-min_minutes"[^>]*>Use whole quarter hours/);
    assert.match(bad.body, /id="e-claim_minutes"[^>]*>Must be between 1 and 30/);
    const ok = await post("/staff/reservations/settings", "manager", values);
    assert.equal(ok.statusCode, 303);
    const page = await getAs("/staff/reservations", "manager");
    assert.match(page.body, /name="max_minutes"[^>]*value="90"/);
    assert.equal((await post("/staff/reservations/settings", "staff", values)).statusCode, 403);
    assert.equal(
      (await post("/staff/reservations/settings", "manager", { ...values, max_minutes: "120" })).statusCode,
      303,
    );
  });

  it("a member books, sees and cancels their own bookings online, in Urdu or English", async () => {
    const anon = await app.inject({ method: "GET", url: "/ur/account/reservations" });
    assert.equal(anon.statusCode, 303);
    assert.match(String(anon.headers.location), /^\/ur\/account\/login/);
    assert.equal(
      (await getAs("/en/account/reservations", "staff")).statusCode,
      303,
      "staff cookies are not a member's",
    );

    const ok = await post("/en/account/reservations", "member", {
      pc_id: pcs.A2!.id,
      date: "2026-11-27",
      start: "09:30",
      minutes: "30",
    });
    assert.equal(ok.statusCode, 303, ok.body.slice(0, 300));
    const page = await getAs(String(ok.headers.location), "member");
    assert.match(page.body, /My PC bookings/);
    assert.match(page.body, /09:30–10:00/);
    assert.match(page.body, />yours</);
    assert.doesNotMatch(
      page.body,
      new RegExp(member.member_no + "</mark>"),
      "no one's number in a member's grid",
    );

    const ur = await post("/ur/account/reservations", "member", {
      pc_id: pcs.A2!.id,
      date: "2026-11-27",
      start: "09:40",
      minutes: "30",
    });
    assert.equal(ur.statusCode, 400);
    assert.match(ur.body, /id="e-start"[^>]*>پندرہ منٹ کے وقفے پر شروع کریں/);

    const id = /action="\/en\/account\/reservations\/([0-9a-f-]{36})\/cancel"/.exec(page.body)![1]!;
    const cancel = await post(`/en/account/reservations/${id}/cancel`, "member", {});
    assert.equal(cancel.statusCode, 303);
    const row = await get()
      .db.selectFrom("reservations")
      .select("status")
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    assert.equal(row.status, "cancelled");
    // Someone else's booking is not theirs to cancel.
    const again = await post(`/en/account/reservations/${bookedId}/cancel`, "member", {});
    assert.equal(again.statusCode, 409, "their own, already cancelled");
    const foreign = await get()
      .db.selectFrom("reservations")
      .select("id")
      .where("member_id", "!=", member.id)
      .where("status", "=", "booked")
      .executeTakeFirstOrThrow();
    assert.equal((await post(`/en/account/reservations/${foreign.id}/cancel`, "member", {})).statusCode, 404);
  });

  it("the queue desk issues, calls and claims; instructors and other centres cannot", async () => {
    assert.equal((await getAs("/staff/queue", "instructor")).statusCode, 403);
    assert.equal((await getAs("/staff/queue", "staff")).statusCode, 200);
    const issued = await post("/staff/queue/tickets", "staff", { member_no: member.member_no });
    assert.equal(issued.statusCode, 303);
    assert.equal(issued.headers.location, "/staff/queue?done=issued&n=1");
    assert.match((await getAs(String(issued.headers.location), "staff")).body, /Ticket 1 issued\./);
    const unknown = await post("/staff/queue/tickets", "staff", { member_no: "NOPE" });
    assert.equal(unknown.statusCode, 400);
    assert.match(unknown.body, /id="e-member_no"[^>]*>No member has this number/);
    const called = await post("/staff/queue/call", "staff", { pc_id: pcs.A1!.id });
    assert.equal(called.statusCode, 303);
    assert.equal(called.headers.location, "/staff/queue?done=called&n=1&pc=A1");
    const page = await getAs("/staff/queue", "staff");
    const ticketId = /action="\/staff\/queue\/([0-9a-f-]{36})\/claim"/.exec(page.body)![1]!;
    assert.equal((await post(`/staff/queue/${ticketId}/claim`, "otherStaff", {})).statusCode, 403);
    assert.equal((await post("/staff/queue/tickets", "instructor", {})).statusCode, 403);
    const claimed = await post(`/staff/queue/${ticketId}/claim`, "staff", {});
    assert.equal(claimed.statusCode, 303);
    const nobody = await post("/staff/queue/call", "staff", { pc_id: pcs.A1!.id });
    assert.equal(nobody.headers.location, "/staff/queue?done=nobody");
    const foreignPc = await post("/staff/queue/call", "otherStaff", { pc_id: pcs.A1!.id });
    assert.equal(foreignPc.statusCode, 400);
    assert.match(foreignPc.body, /id="e-pc_id"/);
  });

  it("the self-service screen issues a ticket with a signed form, and refuses one without", async () => {
    const screen = await app.inject({ method: "GET", url: "/queue/ticket" });
    assert.equal(screen.statusCode, 200);
    assert.match(screen.body, /ٹکٹ لیں/);
    assert.match(screen.body, /Take a ticket/);
    assert.match(
      String(screen.headers["content-security-policy"]),
      /style-src 'self' 'sha256-[A-Za-z0-9+/=]+'/,
    );
    const res = await app.inject({
      method: "POST",
      url: "/queue/ticket",
      headers: FORM,
      payload: form({ _csrf: csrfFrom(screen.body) }),
    });
    assert.equal(res.statusCode, 200);
    const number = /id="ticket-number">(\d+)</.exec(res.body)![1];
    assert.equal(number, "2");
    assert.match(res.body, /آپ کا نمبر/);
    assert.match(res.body, /Your number/);
    const forged = await app.inject({
      method: "POST",
      url: "/queue/ticket",
      headers: FORM,
      payload: form({ _csrf: "nope" }),
    });
    assert.equal(forged.statusCode, 403);
    const otherCentre = await app.inject({ method: "GET", url: `/queue/ticket?centre=${other.code}` });
    assert.match(otherCentre.body, new RegExp(`action="/queue/ticket\\?centre=${other.code}"`));
  });

  it("the TV page shows the latest call in Urdu and English and works without JavaScript; its feed is JSON", async () => {
    const db = get().db;
    await takeTicket(db, centre.id, { actor: anonymous, clock });
    const called = await callNext(db, centre.id, pcs.A2!.id, clock);
    const page = await app.inject({ method: "GET", url: "/queue/display" });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<noscript><meta http-equiv="refresh" content="5"\/?><\/noscript>/);
    assert.match(page.body, /<script src="\/assets\/queue-display\.[0-9a-f]+\.js" defer/);
    assert.match(page.body, new RegExp(`id="queue-now-number">${called!.number}<`));
    assert.match(page.body, new RegExp(`ٹکٹ نمبر ${called!.number}: کمپیوٹر A2 پر تشریف لائیں`));
    assert.match(page.body, new RegExp(`Ticket ${called!.number}: please go to computer A2`));
    const feed = await app.inject({
      method: "GET",
      url: "/queue/display.json",
      headers: { accept: "application/json" },
    });
    assert.equal(feed.statusCode, 200);
    const data = feed.json() as { version: string; now: { number: string; pc: string }; waiting: number };
    assert.equal(data.now.number, String(called!.number));
    assert.equal(data.now.pc, "A2");
    assert.match(data.version, /@/);
    const js = await app.inject({
      method: "GET",
      url: /src="(\/assets\/queue-display\.[0-9a-f]+\.js)"/.exec(page.body)![1]!,
    });
    assert.equal(js.statusCode, 200);
    const elsewhere = await app.inject({ method: "GET", url: `/queue/display.json?centre=${other.code}` });
    assert.equal((elsewhere.json() as { calls: unknown[] }).calls.length, 0);
    assert.equal((await app.inject({ method: "GET", url: "/queue/display?centre=NO-SUCH" })).statusCode, 404);
  });
});
