import assert from "node:assert/strict";
import { before, it } from "node:test";
import { cliActor } from "../../src/audit/actor.ts";
import { manualClock } from "../../src/db/clock.ts";
import type { MemberTable, PcTable } from "../../src/db/schema.ts";
import { addPc, banMember, issueGuestPasses, setRule } from "../../src/access/pcs.ts";
import {
  endSession,
  extendSession,
  moveSession,
  startGuestSession,
  startMemberSession,
  tickSessions,
} from "../../src/access/sessions.ts";
import { ensureCategories } from "../../src/members/categories.ts";
import { loadMemberKeys } from "../../src/members/keys.ts";
import { registerMember } from "../../src/members/register.ts";
import { Conflict } from "../../src/server/errors.ts";
import { makeCentre } from "../helpers/app.ts";
import { onBothDatabases } from "../helpers/db.ts";

// Wednesday 25 November 2026, 11:00 in Karachi; the centre closes at 17:00 (12:00 UTC).
const START = "2026-11-25T06:00:00Z";

async function refused(p: Promise<unknown>, code: string) {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof Conflict, String(e));
    assert.equal(e.code, code);
    return true;
  });
}

onBothDatabases("PC sessions and their rules", (get) => {
  const clock = manualClock(START);
  const ctx = () => ({ actor: cliActor(), clock });
  let centreId = "";
  const pcs: PcTable[] = [];
  let n = 0;

  async function member(over: Record<string, string> = {}): Promise<MemberTable> {
    n++;
    const cats = await ensureCategories(get().db, centreId, clock);
    return registerMember(
      get().db,
      centreId,
      {
        full_name_en: `Member ${n}`,
        cnic: `35202-${String(1000000 + n)}-${n % 10}`,
        phone: "03001234567",
        date_of_birth: "2000-01-01",
        district: "Lahore",
        education: "matric",
        category_id: cats[0]!.id,
        consent: "yes",
        confirm_not_duplicate: "yes",
        ...over,
      },
      { ...ctx(), keys: loadMemberKeys(get().dataDir, {}) },
    );
  }

  before(async () => {
    centreId = (await makeCentre(get())).id;
    for (const name of ["PC-01", "PC-02", "PC-03", "LAB-01"]) {
      pcs.push(
        await addPc(
          get().db,
          centreId,
          { name, room: name.startsWith("LAB") ? "lab" : "lounge", min_age: name === "PC-03" ? "18" : "" },
          ctx(),
        ),
      );
    }
    const general = (await ensureCategories(get().db, centreId, clock))[0]!;
    await setRule(
      get().db,
      centreId,
      general.id,
      { daily_minutes: "90", weekly_minutes: "300", session_minutes: "60" },
      ctx(),
    );
  });

  it("a session lasts the category's longest session; a second one gets only what is left today", async () => {
    clock.set(START);
    const m = await member();
    const s = await startMemberSession(get().db, pcs[0]!.id, m, ctx());
    assert.equal(s.ends_at, "2026-11-25T07:00:00.000Z");
    assert.equal(s.category_code, "general");
    assert.equal(s.age_group, "25-34");
    await refused(startMemberSession(get().db, pcs[1]!.id, m, ctx()), "member_has_session");
    clock.set("2026-11-25T07:00:00Z");
    await tickSessions(get().db, clock);
    const again = await startMemberSession(get().db, pcs[0]!.id, m, ctx());
    assert.equal(again.ends_at, "2026-11-25T07:30:00.000Z", "90 minutes a day, 60 used");
    clock.set("2026-11-25T07:30:00Z");
    await tickSessions(get().db, clock);
    await refused(startMemberSession(get().db, pcs[0]!.id, m, ctx()), "no_time_left_today");
    clock.set("2026-11-26T05:00:00Z"); // next day, 10:00 local
    const tomorrow = await startMemberSession(get().db, pcs[0]!.id, m, ctx());
    assert.equal(tomorrow.ends_at, "2026-11-26T06:00:00.000Z");
    await endSession(get().db, tomorrow.id, "user", ctx());
  });

  it("one session per PC, even when two starts race", async () => {
    clock.set("2026-11-27T05:00:00Z");
    const [a, b] = [await member(), await member()];
    const results = await Promise.allSettled(
      [a, b].map((m) =>
        get()
          .db.transaction()
          .execute((trx) => startMemberSession(trx, pcs[1]!.id, m, ctx())),
      ),
    );
    assert.equal(results.filter((r) => r.status === "fulfilled").length, 1);
    const running = await get()
      .db.selectFrom("pc_sessions")
      .selectAll()
      .where("pc_id", "=", pcs[1]!.id)
      .where("ended_at", "is", null)
      .execute();
    assert.equal(running.length, 1);
    await endSession(get().db, running[0]!.id, "staff", ctx());
  });

  it("auto-extends when nobody waits and time is left, and ends on time otherwise", async () => {
    clock.set("2026-11-30T05:00:00Z"); // Monday 10:00
    const general = (await ensureCategories(get().db, centreId, clock))[0]!;
    await setRule(
      get().db,
      centreId,
      general.id,
      { daily_minutes: "120", weekly_minutes: "600", session_minutes: "30" },
      ctx(),
    );
    const m = await member();
    const s = await startMemberSession(get().db, pcs[0]!.id, m, ctx());
    assert.equal(s.ends_at, "2026-11-30T05:30:00.000Z");
    clock.set("2026-11-30T05:29:30Z");
    assert.deepEqual(await tickSessions(get().db, clock), { ended: 0, extended: 1 });
    const extended = await get()
      .db.selectFrom("pc_sessions")
      .selectAll()
      .where("id", "=", s.id)
      .executeTakeFirstOrThrow();
    assert.equal(extended.ends_at, "2026-11-30T05:45:00.000Z");
    // Someone waits in the queue: no more extensions; the session ends on time.
    const now = clock.now().toISOString();
    await get()
      .db.insertInto("queue_tickets")
      .values({
        id: crypto.randomUUID(),
        centre_id: centreId,
        day: "2026-11-30",
        number: 1,
        member_id: null,
        status: "waiting",
        pc_id: null,
        called_at: null,
        claimed_at: null,
        category_code: null,
        age_group: null,
        gender: null,
        created_at: now,
        updated_at: now,
        deleted_at: null,
      })
      .execute();
    clock.set("2026-11-30T05:44:30Z");
    assert.deepEqual(await tickSessions(get().db, clock), { ended: 0, extended: 0 });
    clock.set("2026-11-30T05:45:01Z");
    assert.deepEqual(await tickSessions(get().db, clock), { ended: 1, extended: 0 });
    const ended = await get()
      .db.selectFrom("pc_sessions")
      .selectAll()
      .where("id", "=", s.id)
      .executeTakeFirstOrThrow();
    assert.equal(ended.ended_at, "2026-11-30T05:45:00.000Z", "ended at its end time, not when noticed");
    assert.equal(ended.end_reason, "time");
    await get().db.deleteFrom("queue_tickets").execute();
  });

  it("a session never runs past closing time; a closed centre starts none", async () => {
    clock.set("2026-12-01T11:40:00Z"); // Tuesday 16:40, closes 17:00
    const m = await member();
    const s = await startMemberSession(get().db, pcs[0]!.id, m, ctx());
    assert.equal(s.ends_at, "2026-12-01T12:00:00.000Z");
    await refused(
      extendSession(get().db, s.id, 30, ctx()).then(() => extendSession(get().db, s.id, 30, ctx())),
      "closing_soon",
    );
    await endSession(get().db, s.id, "user", ctx());
    clock.set("2026-12-01T11:57:00Z");
    await refused(startMemberSession(get().db, pcs[0]!.id, m, ctx()), "closing_soon");
    clock.set("2026-12-01T13:00:00Z");
    await refused(startMemberSession(get().db, pcs[0]!.id, m, ctx()), "centre_closed");
  });

  it("bans, age limits and out-of-order PCs refuse a start", async () => {
    clock.set("2026-12-02T05:00:00Z");
    const young = await member({ date_of_birth: "2012-05-05" });
    await refused(startMemberSession(get().db, pcs[2]!.id, young, ctx()), "pc_age_limit");
    const banned = await member();
    await banMember(
      get().db,
      centreId,
      banned.id,
      { until: "2026-12-10", note: "Damaged a keyboard" },
      ctx(),
    );
    await refused(startMemberSession(get().db, pcs[0]!.id, banned, ctx()), "member_banned");
    clock.set("2026-12-11T05:00:00Z");
    const s = await startMemberSession(get().db, pcs[0]!.id, banned, ctx());
    await endSession(get().db, s.id, "user", ctx());
  });

  it("guest passes work once, for their own minutes", async () => {
    clock.set("2026-12-03T05:00:00Z");
    const { codes } = await issueGuestPasses(get().db, centreId, { count: "2", minutes: "20" }, ctx());
    const s = await startGuestSession(get().db, pcs[0]!.id, codes[0]!.toLowerCase(), ctx());
    assert.equal(s.ends_at, "2026-12-03T05:20:00.000Z");
    assert.equal(s.category_code, "guest");
    assert.equal(s.member_id, null);
    await refused(startGuestSession(get().db, pcs[1]!.id, codes[0]!, ctx()), "guest_pass_invalid");
    await refused(startGuestSession(get().db, pcs[1]!.id, "NOPE-NOPE", ctx()), "guest_pass_invalid");
    const moved = await moveSession(get().db, s.id, pcs[3]!.id, ctx());
    assert.equal(moved.ends_at, s.ends_at, "time left moves with the session");
    assert.equal(moved.pc_id, pcs[3]!.id);
    await endSession(get().db, moved.id, "user", ctx());
  });
});
