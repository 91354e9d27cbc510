import assert from "node:assert/strict";
import crypto from "node:crypto";
import { after, before, it } from "node:test";
import { cliActor } from "../../src/audit/actor.ts";
import { manualClock } from "../../src/db/clock.ts";
import type { MemberTable } from "../../src/db/schema.ts";
import { issueCard } from "../../src/members/cards.ts";
import { signMemberRef } from "../../src/members/card/reference.ts";
import { ensureCategories } from "../../src/members/categories.ts";
import { loadMemberKeys } from "../../src/members/keys.ts";
import { registerMember } from "../../src/members/register.ts";
import type { App } from "../../src/server/app.ts";
import {
  csrfFrom,
  form,
  FORM,
  makeCentre,
  makeStaff,
  nextAddress,
  signIn,
  TEST_SECRET,
  testApp,
} from "../helpers/app.ts";
import { onBothDatabases } from "../helpers/db.ts";

onBothDatabases("PCs at the desk, the kiosk screen and the agent API", (get) => {
  const clock = manualClock("2026-11-25T06:00:00Z");
  let app: App;
  const who: Record<string, { cookie: string; csrf: string }> = {};
  let member: MemberTable;
  let token = "";
  let pcId = "";

  before(async () => {
    const tdb = get();
    const centre = await makeCentre(tdb, {}, true);
    const other = await makeCentre(tdb);
    app = await testApp(tdb, { clock });
    for (const [key, role, centreId] of [
      ["manager", "centre_manager", centre.id],
      ["staff", "staff", centre.id],
      ["instructor", "instructor", centre.id],
      ["otherStaff", "staff", other.id],
    ] as const) {
      who[key] = await signIn(app, (await makeStaff(tdb, role, centreId)).username);
    }
    const cats = await ensureCategories(tdb.db, centre.id, clock);
    const ctx = { actor: cliActor(), clock, keys: loadMemberKeys(tdb.dataDir, {}) };
    member = await registerMember(
      tdb.db,
      centre.id,
      {
        full_name_en: "Sana Tariq",
        cnic: "42101-5555555-6",
        phone: "03451234567",
        date_of_birth: "1999-09-09",
        district: "Karachi",
        education: "graduate",
        category_id: cats[0]!.id,
        consent: "yes",
        pin: "8264",
      },
      ctx,
    );
    member = await issueCard(tdb.db, member.id, "first", ctx);
  });
  after(() => app?.close());

  const post = (url: string, as: string, body: Record<string, string>) =>
    app.inject({
      method: "POST",
      url,
      headers: { ...FORM, cookie: who[as]!.cookie },
      payload: form({ _csrf: who[as]!.csrf, ...body }),
    });
  const getAs = (url: string, as: string) =>
    app.inject({ method: "GET", url, headers: { cookie: who[as]!.cookie } });

  it("a manager adds a PC and gets its agent token once; others are refused", async () => {
    assert.equal((await getAs("/staff/pcs/settings", "staff")).statusCode, 403);
    assert.equal((await getAs("/staff/pcs", "instructor")).statusCode, 403);
    const bad = await post("/staff/pcs", "manager", { name: "pc 1!", room: "lounge" });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /id="e-name"/);
    const res = await post("/staff/pcs", "manager", { name: "pc-01", room: "lounge" });
    assert.equal(res.statusCode, 200);
    token = /<pre dir="ltr">([A-Za-z0-9_-]+)<\/pre>/.exec(res.body)![1]!;
    await post("/staff/pcs", "manager", { name: "PC-02", room: "lab" });
    const pcs = await get().db.selectFrom("pcs").selectAll().orderBy("name").execute();
    assert.deepEqual(
      pcs.map((p) => p.name),
      ["PC-01", "PC-02"],
    );
    pcId = pcs[0]!.id;
    const again = await getAs("/staff/pcs/settings", "manager");
    assert.doesNotMatch(again.body, new RegExp(token), "the token is not shown again");
  });

  it("the agent API wants the PC's token and signs its answers with it", async () => {
    const state = (bearer: string) =>
      app.inject({
        method: "GET",
        url: "/api/v1/kiosk/PC-01/state",
        headers: { authorization: `Bearer ${bearer}` },
      });
    assert.equal((await state("wrong")).statusCode, 401);
    const res = await state(token);
    assert.equal(res.statusCode, 200);
    const signature = crypto.createHmac("sha256", token).update(res.rawPayload).digest("hex");
    assert.equal(res.headers["x-rasai-signature"], signature);
    assert.deepEqual(JSON.parse(res.body).state, "locked");
  });

  it("the desk starts a session by member number; the grid, the agent and the kiosk see it", async () => {
    assert.equal(
      (await post(`/staff/pcs/${pcId}/start`, "otherStaff", { who: member.member_no })).statusCode,
      403,
    );
    const res = await post(`/staff/pcs/${pcId}/start`, "staff", { who: member.member_no });
    assert.equal(res.statusCode, 303);
    const grid = await getAs("/staff/pcs/grid", "staff");
    assert.match(grid.body, /data-state="in_use"/);
    assert.match(grid.body, /ST/, "initials, not the name");
    assert.doesNotMatch(grid.body, /Sana/);
    const state = await app.inject({
      method: "GET",
      url: "/api/v1/kiosk/PC-01/state",
      headers: { authorization: `Bearer ${token}` },
    });
    const body = JSON.parse(state.body);
    assert.equal(body.state, "in_use");
    assert.equal(body.session.ends_at, "2026-11-25T07:00:00.000Z");
    assert.equal(body.session.label, "ST");
    const timer = await app.inject({ method: "GET", url: "/kiosk/PC-01/timer" });
    assert.equal(timer.statusCode, 200);
    assert.match(timer.body, /data-ends="2026-11-25T07:00:00.000Z"/);
    // The agent reports the end (late, after the link came back): the session ends when it says.
    clock.set("2026-11-25T06:40:00Z");
    const ended = await app.inject({
      method: "POST",
      url: "/api/v1/kiosk/PC-01/ended",
      headers: { authorization: `Bearer ${token}` },
      payload: { session_id: body.session.id, at: "2026-11-25T06:30:00.000Z", reason: "user" },
    });
    assert.equal(ended.statusCode, 200);
    const row = await get()
      .db.selectFrom("pc_sessions")
      .selectAll()
      .where("id", "=", body.session.id)
      .executeTakeFirstOrThrow();
    assert.equal(row.ended_at, "2026-11-25T06:30:00.000Z");
    assert.equal(row.end_reason, "user");
  });

  it("a member scans their card at the kiosk and the session starts; a bad PIN is refused in both languages", async () => {
    const page = await app.inject({ method: "GET", url: "/kiosk/PC-02" });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<html lang="ur" dir="rtl">/);
    clock.advance(3000);
    const wrong = await app.inject({
      method: "POST",
      url: "/kiosk/PC-02/login",
      remoteAddress: nextAddress(),
      headers: FORM,
      payload: form({ _csrf: csrfFrom(page.body), method: "pin", login: member.member_no, pin: "0000" }),
    });
    assert.equal(wrong.statusCode, 401);
    assert.match(wrong.body, /role="alert"/);
    assert.match(wrong.body, /The username or password is wrong|wrong/);
    const scanned = await app.inject({
      method: "POST",
      url: "/kiosk/PC-02/login",
      remoteAddress: nextAddress(),
      headers: FORM,
      payload: form({
        _csrf: csrfFrom(page.body),
        method: "card",
        card: signMemberRef(TEST_SECRET, member.member_no, 1).toLowerCase(),
      }),
    });
    assert.equal(scanned.statusCode, 303, scanned.body.slice(0, 400));
    assert.equal(scanned.headers.location, "/kiosk/PC-02/timer");
    const status = await app.inject({ method: "GET", url: "/kiosk/PC-02/status.json" });
    assert.equal(JSON.parse(status.body).state, "in_use");
    // 120 minutes a day, 30 used already: a full 60-minute session from the scan (06:40:03).
    assert.equal(JSON.parse(status.body).ends_at, "2026-11-25T07:40:03.000Z");
  });

  it("the desk moves a session to another PC by its name", async () => {
    const pc2 = await get()
      .db.selectFrom("pcs")
      .selectAll()
      .where("name", "=", "PC-02")
      .executeTakeFirstOrThrow();
    const running = await get()
      .db.selectFrom("pc_sessions")
      .selectAll()
      .where("pc_id", "=", pc2.id)
      .where("ended_at", "is", null)
      .executeTakeFirstOrThrow();
    const bad = await post(`/staff/pcs/sessions/${running.id}/move`, "staff", { to: "PC-99" });
    assert.equal(bad.statusCode, 400);
    const res = await post(`/staff/pcs/sessions/${running.id}/move`, "staff", { to: "pc-01" });
    assert.equal(res.statusCode, 303);
    const moved = await get()
      .db.selectFrom("pc_sessions")
      .selectAll()
      .where("pc_id", "=", pcId)
      .where("ended_at", "is", null)
      .executeTakeFirstOrThrow();
    assert.equal(moved.ends_at, running.ends_at);
    await post(`/staff/pcs/sessions/${moved.id}/end`, "staff", {});
  });

  it("the desk grid streams a change within a second over Server-Sent Events", async () => {
    const address = await app.listen({ port: 0, host: "127.0.0.1" });
    const controller = new AbortController();
    const res = await fetch(`${address}/staff/pcs/events`, {
      headers: { cookie: who.staff!.cookie },
      signal: controller.signal,
    });
    assert.equal(res.headers.get("content-type"), "text/event-stream; charset=utf-8");
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let seen = "";
    const nextEvent = async () => {
      while (!seen.includes("\n\n")) seen += decoder.decode((await reader.read()).value);
      const [event, rest] = [seen.slice(0, seen.indexOf("\n\n")), seen.slice(seen.indexOf("\n\n") + 2)];
      seen = rest;
      return event;
    };
    assert.match(await nextEvent(), /^event: change/);
    const started = Date.now();
    const pc2 = (
      await get().db.selectFrom("pcs").selectAll().where("name", "=", "PC-02").executeTakeFirstOrThrow()
    ).id;
    await post(`/staff/pcs/${pc2}/status`, "staff", { out_of_order: "0" });
    assert.match(await nextEvent(), /^event: change/);
    assert.ok(Date.now() - started < 1000, "within a second");
    controller.abort();
  });
});
