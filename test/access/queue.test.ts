import assert from "node:assert/strict";
import { it } from "node:test";
import {
  accessSweep,
  callNext,
  cancelTicket,
  claimTicket,
  currentDisplay,
  expireCalls,
  onPcFreed,
  takeTicket,
} from "../../src/access/queue.ts";
import { bookForMember } from "../../src/access/reservations.ts";
import { manualClock } from "../../src/db/clock.ts";
import type { PcTable } from "../../src/db/schema.ts";
import { zonedLocalToUtc } from "../../src/i18n/zonedTime.ts";
import { Forbidden, type Conflict } from "../../src/server/errors.ts";
import { makeCentre } from "../helpers/app.ts";
import { onBothDatabases } from "../helpers/db.ts";
import { addMember, addPc, anonymous, memberActor, staffActor } from "./reservationFixtures.ts";

const at = (local: string) => zonedLocalToUtc(local, "Asia/Karachi")!;

onBothDatabases("walk-in queue", (get) => {
  // Each test has its own centre, so days and numbers do not mix.
  async function setUp(start = "2026-11-25T10:00") {
    const { db } = get();
    const clock = manualClock(at(start));
    const centre = await makeCentre(get());
    const pcs: PcTable[] = [];
    for (const name of ["P1", "P2", "P3"]) pcs.push(await addPc(db, centre.id, name));
    return { db, clock, centre, pcs, desk: { actor: staffActor("staff", centre.id), clock } };
  }

  it("numbers tickets from 1 each centre-local day, at the desk and on the self-service screen", async () => {
    const { db, clock, centre, desk } = await setUp("2026-11-25T23:40");
    const a = await takeTicket(db, centre.id, desk);
    const b = await takeTicket(db, centre.id, { actor: anonymous, clock });
    assert.deepEqual([a.number, b.number], [1, 2]);
    assert.equal(a.day, "2026-11-25");
    // 00:05 in Karachi is still 19:05 UTC on the 25th: the centre's day has turned.
    clock.set(at("2026-11-26T00:05"));
    const c = await takeTicket(db, centre.id, desk);
    assert.deepEqual([c.number, c.day], [1, "2026-11-26"]);
    const d = await takeTicket(db, centre.id, desk);
    assert.equal(d.number, 2);
  });

  it("gives ten concurrent tickets ten different numbers", async () => {
    const { db, clock, centre } = await setUp();
    const tickets = await Promise.all(
      Array.from({ length: 10 }, () =>
        db.transaction().execute((trx) => takeTicket(trx, centre.id, { actor: anonymous, clock })),
      ),
    );
    assert.deepEqual(
      tickets.map((t) => t.number).sort((x, y) => x - y),
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
    );
  });

  it("records category, age group and gender for a member's ticket, and 'guest' for a walk-in", async () => {
    const { db, clock, centre, desk } = await setUp();
    const m = await addMember(db, centre.id, clock, { date_of_birth: "2008-02-01", gender: "لڑکا" });
    const t = await takeTicket(db, centre.id, desk, { memberId: m.id });
    assert.deepEqual(
      { m: t.member_id, c: t.category_code, a: t.age_group, g: t.gender },
      { m: m.id, c: "general", a: "15-24", g: "male" },
    );
    const guest = await takeTicket(db, centre.id, { actor: anonymous, clock });
    assert.deepEqual(
      { m: guest.member_id, c: guest.category_code, a: guest.age_group, g: guest.gender },
      { m: null, c: "guest", a: null, g: null },
    );
    // An anonymous screen cannot put a member's name to a ticket.
    const sneaky = await takeTicket(db, centre.id, { actor: anonymous, clock }, { memberId: m.id });
    assert.equal(sneaky.member_id, null);
    const self = await takeTicket(db, centre.id, { actor: memberActor(m), clock });
    assert.equal(self.member_id, m.id);
  });

  it("calls the oldest waiting ticket first (FIFO), one per PC", async () => {
    const { db, clock, centre, pcs, desk } = await setUp();
    for (let i = 0; i < 3; i++) await takeTicket(db, centre.id, desk);
    const first = await callNext(db, centre.id, pcs[0]!.id, clock);
    const second = await callNext(db, centre.id, pcs[1]!.id, clock);
    assert.deepEqual([first?.number, first?.pc_name], [1, "P1"]);
    assert.deepEqual([second?.number, second?.pc_name], [2, "P2"]);
    assert.equal(first?.status, "called");
    assert.equal(first?.called_at, clock.now().toISOString());
    const third = await callNext(db, centre.id, pcs[2]!.id, clock);
    assert.equal(third?.number, 3);
    assert.equal(await callNext(db, centre.id, pcs[2]!.id, clock), null, "nobody left");
    const display = await currentDisplay(db, centre.id, clock);
    assert.deepEqual(
      display.calls.map((c) => [c.number, c.pc, c.active]),
      [
        [3, "P3", true],
        [2, "P2", true],
        [1, "P1", true],
      ],
    );
    assert.equal(display.waiting, 0);
    // With someone new waiting, calling again for P3 lapses ticket 3's unanswered call.
    const four = await takeTicket(db, centre.id, desk);
    const again = await callNext(db, centre.id, pcs[2]!.id, clock);
    assert.equal(again?.id, four.id);
    const three = await db
      .selectFrom("queue_tickets")
      .select("status")
      .where("id", "=", third!.id)
      .executeTakeFirstOrThrow();
    assert.equal(three.status, "expired");
  });

  it("a called ticket claims its PC within the window; later, the call lapses and the next is called", async () => {
    const { db, clock, centre, pcs, desk } = await setUp();
    for (let i = 0; i < 3; i++) await takeTicket(db, centre.id, desk);
    const one = (await callNext(db, centre.id, pcs[0]!.id, clock))!;
    clock.advance(2 * 60_000);
    const claimed = await claimTicket(db, one.id, desk);
    assert.equal(claimed.status, "claimed");
    await assert.rejects(claimTicket(db, one.id, desk), (e: Conflict) => e.code === "ticket_not_called");

    const two = (await callNext(db, centre.id, pcs[1]!.id, clock))!;
    assert.equal(two.number, 2);
    clock.advance(3 * 60_000);
    assert.deepEqual(
      (await expireCalls(db, centre.id, clock)).expired,
      [],
      "3 minutes is still within the window",
    );
    clock.advance(1000);
    await assert.rejects(claimTicket(db, two.id, desk), (e: Conflict) => e.code === "call_expired");
    const { expired, called } = await expireCalls(db, centre.id, clock);
    assert.deepEqual(
      expired.map((t) => t.number),
      [2],
    );
    assert.deepEqual(
      called.map((t) => [t.number, t.pc_name]),
      [[3, "P2"]],
      "the next ticket is called to the same PC",
    );
    const row = await db
      .selectFrom("queue_tickets")
      .selectAll()
      .where("id", "=", two.id)
      .executeTakeFirstOrThrow();
    assert.equal(row.status, "expired");
  });

  it("offers a freed PC to the queue, unless it is reserved within the next slot or already has a call", async () => {
    const { db, clock, centre, pcs, desk } = await setUp("2026-11-25T10:50");
    const m = await addMember(db, centre.id, clock);
    await bookForMember(
      db,
      { pcId: pcs[0]!.id, memberId: m.id, startsAt: at("2026-11-25T11:00"), minutes: 30 },
      { actor: staffActor("staff", centre.id), clock },
    );
    assert.equal(await onPcFreed(db, centre.id, pcs[1]!.id, clock), null, "nobody waits");
    await takeTicket(db, centre.id, desk);
    await takeTicket(db, centre.id, desk);
    assert.equal(await onPcFreed(db, centre.id, pcs[0]!.id, clock), null, "booked from 11:00");
    const called = await onPcFreed(db, centre.id, pcs[1]!.id, clock);
    assert.deepEqual([called?.number, called?.pc_name], [1, "P2"]);
    assert.equal(await onPcFreed(db, centre.id, pcs[1]!.id, clock), null, "P2 has an open call");
    const outOfOrder = await addPc(db, centre.id, "P9", "lounge", { out_of_order: 1 });
    assert.equal(await onPcFreed(db, centre.id, outOfOrder.id, clock), null);
  });

  it("the sweep releases a no-show and calls the queue to that PC", async () => {
    const { db, clock, centre, pcs, desk } = await setUp("2026-11-25T10:50");
    const m = await addMember(db, centre.id, clock);
    const r = await bookForMember(
      db,
      { pcId: pcs[2]!.id, memberId: m.id, startsAt: at("2026-11-25T11:00"), minutes: 60 },
      { actor: memberActor(m), clock },
    );
    const ticket = await takeTicket(db, centre.id, desk);
    clock.set(at("2026-11-25T11:10"));
    const done = await db.transaction().execute((trx) => accessSweep(trx, centre.id, clock));
    assert.equal(done.released, 1);
    assert.deepEqual(
      done.called.map((t) => [t.id, t.pc_name]),
      [[ticket.id, "P3"]],
    );
    const row = await db
      .selectFrom("reservations")
      .select("status")
      .where("id", "=", r.id)
      .executeTakeFirstOrThrow();
    assert.equal(row.status, "released");
  });

  it("only the desk of the ticket's centre claims, cancels or issues", async () => {
    const { db, clock, centre, pcs, desk } = await setUp();
    const other = await makeCentre(get());
    const t = await takeTicket(db, centre.id, desk);
    await assert.rejects(
      takeTicket(db, centre.id, { actor: staffActor("instructor", centre.id), clock }),
      Forbidden,
    );
    await assert.rejects(
      takeTicket(db, centre.id, { actor: staffActor("staff", other.id), clock }),
      Forbidden,
    );
    await callNext(db, centre.id, pcs[0]!.id, clock);
    await assert.rejects(claimTicket(db, t.id, { actor: staffActor("staff", other.id), clock }), Forbidden);
    await assert.rejects(claimTicket(db, t.id, { actor: anonymous, clock }), Forbidden);
    await assert.rejects(
      callNext(db, other.id, pcs[0]!.id, clock),
      (e: Conflict) => e.code === "validation_failed",
    );
    const cancelled = await cancelTicket(db, t.id, desk);
    assert.equal(cancelled.status, "cancelled");
    assert.equal((await currentDisplay(db, centre.id, clock)).calls.length, 0);
  });
});
