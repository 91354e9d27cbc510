import assert from "node:assert/strict";
import { before, it } from "node:test";
import {
  availability,
  bookClass,
  bookForMember,
  cancelReservation,
  claimReservation,
  releaseNoShows,
} from "../../src/access/reservations.ts";
import { insertSlots } from "../../src/access/reservationQueries.ts";
import { isUniqueViolation } from "../../src/access/transactions.ts";
import { reservationSettings, saveReservationSettings } from "../../src/access/reservationSettings.ts";
import { manualClock } from "../../src/db/clock.ts";
import { newId } from "../../src/db/ids.ts";
import type { PcTable } from "../../src/db/schema.ts";
import { zonedLocalToUtc } from "../../src/i18n/zonedTime.ts";
import { Conflict, DomainError, Forbidden } from "../../src/server/errors.ts";
import { makeCentre } from "../helpers/app.ts";
import { onBothDatabases } from "../helpers/db.ts";
import { addMember, addPc, liveSlotCount, memberActor, staffActor } from "./reservationFixtures.ts";

const NOW = "2026-11-25T06:00:00Z"; // Wednesday 11:00 in Karachi
const at = (local: string) => zonedLocalToUtc(local, "Asia/Karachi")!;

/** The field problems a refused booking names, as "path:code". */
async function problems(promise: Promise<unknown>): Promise<string[]> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return error.fields.map((f) => `${f.path.slice(1)}:${f.code}`);
    throw error;
  }
  assert.fail("expected the booking to be refused");
}

onBothDatabases("PC reservations", (get) => {
  let centre: { id: string };
  let other: { id: string };
  const pcs: Record<string, PcTable> = {};
  const clock = manualClock(NOW);
  const desk = () => ({ actor: staffActor("staff", centre.id), clock });

  before(async () => {
    const { db } = get();
    centre = await makeCentre(get());
    other = await makeCentre(get());
    for (const [name, room] of [
      ["A1", "lounge"],
      ["A2", "lounge"],
      ["A3", "lounge"],
      ["L1", "lab"],
      ["L2", "lab"],
      ["L3", "lab"],
    ] as const)
      pcs[name] = await addPc(db, centre.id, name, room);
    pcs.X = await addPc(db, centre.id, "X", "lounge", { out_of_order: 1 });
    pcs.K = await addPc(db, centre.id, "K", "lounge", { min_age: 18 });
    pcs.O1 = await addPc(db, other.id, "O1");
  });

  it("books whole 15-minute slots and records category, age group and gender, not identity", async () => {
    const { db } = get();
    const m = await addMember(db, centre.id, clock, { gender: "Female", date_of_birth: "1995-04-12" });
    const r = await db
      .transaction()
      .execute((trx) =>
        bookForMember(
          trx,
          { pcId: pcs.A1!.id, memberId: m.id, startsAt: at("2026-11-26T10:00"), minutes: 45 },
          desk(),
        ),
      );
    assert.equal(r.status, "booked");
    assert.equal(r.starts_at, "2026-11-26T05:00:00.000Z");
    assert.equal(r.ends_at, "2026-11-26T05:45:00.000Z");
    assert.deepEqual(
      { c: r.category_code, a: r.age_group, g: r.gender },
      { c: "general", a: "25-34", g: "female" },
    );
    assert.equal(await liveSlotCount(db, { reservationId: r.id }), 3);
    const slots = await db
      .selectFrom("reservation_slots")
      .select("slot_start")
      .where("reservation_id", "=", r.id)
      .orderBy("slot_start")
      .execute();
    assert.deepEqual(
      slots.map((s) => new Date(s.slot_start).toISOString()),
      ["2026-11-26T05:00:00.000Z", "2026-11-26T05:15:00.000Z", "2026-11-26T05:30:00.000Z"],
    );
  });

  it("refuses times off the quarter hour, lengths outside the limits, the past and beyond the horizon", async () => {
    const { db } = get();
    const m = await addMember(db, centre.id, clock);
    const book = (startsAt: Date | null, minutes: number, pc = pcs.A2!) =>
      problems(bookForMember(db, { pcId: pc.id, memberId: m.id, startsAt, minutes }, desk()));
    assert.deepEqual(await book(at("2026-11-26T10:10"), 30), ["start:not_on_slot"]);
    assert.deepEqual(await book(at("2026-11-26T10:00"), 20), ["minutes:not_whole_slots"]);
    assert.deepEqual(await book(at("2026-11-26T10:00"), 0), ["minutes:not_whole_slots"]);
    assert.deepEqual(await book(at("2026-11-26T10:00"), 135), ["minutes:booking_too_long"]);
    assert.deepEqual(await book(at("2026-11-25T10:00"), 30), ["start:in_past"]);
    assert.deepEqual(await book(at("2026-12-03T10:00"), 30), ["start:beyond_horizon"]);
    assert.deepEqual(await book(null, 30), ["start:invalid_format"]);
    assert.deepEqual(await book(at("2026-11-26T10:00"), 30, pcs.X!), ["pc_id:pc_out_of_order"]);
    // 7 days ahead is still within reach (the horizon's default).
    const r = await bookForMember(
      db,
      { pcId: pcs.A2!.id, memberId: m.id, startsAt: at("2026-12-02T10:00"), minutes: 120 },
      desk(),
    );
    assert.equal(r.status, "booked");
    // A shorter minimum from the manager's settings.
    await saveReservationSettings(
      db,
      centre.id,
      { ...(await reservationSettings(db, centre.id)), min_minutes: "30" },
      { actor: staffActor("centre_manager", centre.id), clock },
    );
    assert.deepEqual(await book(at("2026-11-26T10:00"), 15), ["minutes:booking_too_short"]);
    await saveReservationSettings(
      db,
      centre.id,
      { ...(await reservationSettings(db, centre.id)), min_minutes: "15" },
      { actor: staffActor("centre_manager", centre.id), clock },
    );
  });

  it("books only while the centre is open, slot by slot (closing time, Friday prayer break, Sunday)", async () => {
    const { db } = get();
    const m = await addMember(db, centre.id, clock);
    const book = (local: string, minutes: number) =>
      problems(bookForMember(db, { pcId: pcs.A3!.id, memberId: m.id, startsAt: at(local), minutes }, desk()));
    assert.deepEqual(await book("2026-11-26T16:45", 30), ["start:outside_hours"], "runs past 17:00");
    assert.deepEqual(await book("2026-11-26T08:45", 30), ["start:outside_hours"], "starts before 09:00");
    assert.deepEqual(
      await book("2026-11-27T12:15", 30),
      ["start:outside_hours"],
      "Friday's break 12:30–14:30",
    );
    assert.deepEqual(await book("2026-11-29T10:00", 30), ["start:outside_hours"], "closed on Sunday");
    const last = await bookForMember(
      db,
      { pcId: pcs.A3!.id, memberId: m.id, startsAt: at("2026-11-26T16:30"), minutes: 30 },
      desk(),
    );
    assert.equal(last.ends_at, "2026-11-26T12:00:00.000Z", "ends exactly at closing");
  });

  it("holds a member to the number of bookings, no overlap and the configured gap", async () => {
    const { db } = get();
    const m = await addMember(db, centre.id, clock);
    const book = (pc: PcTable, local: string, minutes = 30) =>
      bookForMember(db, { pcId: pc.id, memberId: m.id, startsAt: at(local), minutes }, desk());
    await book(pcs.A1!, "2026-11-27T09:00");
    assert.deepEqual(await problems(book(pcs.A2!, "2026-11-27T09:15")), ["start:member_overlap"]);
    const manager = { actor: staffActor("centre_manager", centre.id), clock };
    await saveReservationSettings(
      db,
      centre.id,
      { ...(await reservationSettings(db, centre.id)), gap_minutes: "30" },
      manager,
    );
    const tooClose = await book(pcs.A1!, "2026-11-27T09:45").catch((e: unknown) => e);
    assert.ok(tooClose instanceof Conflict && tooClose.code === "too_close");
    assert.equal(tooClose.fields[0]!.params!.gap, 30);
    await book(pcs.A1!, "2026-11-27T10:00");
    await book(pcs.A1!, "2026-11-28T10:00");
    const fourth = await book(pcs.A1!, "2026-11-30T10:00").catch((e: unknown) => e);
    assert.ok(fourth instanceof Conflict && fourth.code === "too_many_bookings", String(fourth));
    assert.equal(fourth.fields[0]!.params!.max, 3);
    await saveReservationSettings(
      db,
      centre.id,
      { ...(await reservationSettings(db, centre.id)), gap_minutes: "0" },
      manager,
    );
  });

  it("lets only the desk of the member's own centre book, and a member only for themselves", async () => {
    const { db } = get();
    const m = await addMember(db, centre.id, clock);
    const elsewhere = await addMember(db, other.id, clock);
    const input = { pcId: pcs.A1!.id, memberId: m.id, startsAt: at("2026-11-30T11:00"), minutes: 30 };
    await assert.rejects(
      bookForMember(db, input, { actor: staffActor("instructor", centre.id), clock }),
      Forbidden,
    );
    await assert.rejects(
      bookForMember(db, input, { actor: staffActor("staff", other.id), clock }),
      Forbidden,
    );
    await assert.rejects(bookForMember(db, input, { actor: memberActor(elsewhere), clock }), Forbidden);
    assert.deepEqual(await problems(bookForMember(db, { ...input, memberId: elsewhere.id }, desk())), [
      "member_no:member_other_centre",
    ]);
    assert.deepEqual(
      await problems(
        bookForMember(db, { ...input, memberId: elsewhere.id }, { actor: memberActor(elsewhere), clock }),
      ),
      ["pc_id:invalid_choice"],
      "a member books at their own centre",
    );
    const young = await addMember(db, centre.id, clock, { date_of_birth: "2012-01-01" });
    assert.deepEqual(
      await problems(bookForMember(db, { ...input, memberId: young.id, pcId: pcs.K!.id }, desk())),
      ["pc_id:pc_min_age"],
    );
    const mine = await bookForMember(db, input, { actor: memberActor(m), clock });
    assert.equal(mine.member_id, m.id);
    const hq = await bookForMember(
      db,
      {
        ...input,
        pcId: pcs.A2!.id,
        startsAt: at("2026-12-01T11:00"),
        memberId: (await addMember(db, centre.id, clock)).id,
      },
      { actor: staffActor("hq_admin", null), clock },
    );
    assert.equal(hq.status, "booked");
  });

  it("block-books the lab for a class and refuses a clash, naming each PC and time", async () => {
    const { db } = get();
    const m = await addMember(db, centre.id, clock);
    await bookForMember(
      db,
      { pcId: pcs.L2!.id, memberId: m.id, startsAt: at("2026-11-26T14:00"), minutes: 30 },
      desk(),
    );
    const clash = await bookClass(
      db,
      centre.id,
      { title: "Basic computing", pcIds: "all", startsAt: at("2026-11-26T13:00"), minutes: 120 },
      desk(),
    ).catch((e: unknown) => e);
    assert.ok(clash instanceof Conflict && clash.code === "class_clash", String(clash));
    assert.equal(clash.fields[0]!.path, "/pc_ids");
    assert.equal(clash.fields[0]!.params!.clashes, "L2 14:00–14:30");
    assert.equal(await liveSlotCount(db, { pcId: pcs.L1!.id }), 0, "nothing of the refused block was kept");

    const rows = await bookClass(
      db,
      centre.id,
      {
        title: "Basic computing",
        pcIds: [pcs.L1!.id, pcs.L3!.id],
        startsAt: at("2026-11-26T13:00"),
        minutes: 120,
      },
      desk(),
    );
    assert.equal(rows.length, 2);
    assert.ok(
      rows.every((r) => r.kind === "class" && r.title === "Basic computing" && r.category_code === "class"),
    );
    assert.equal(await liveSlotCount(db, { pcId: pcs.L1!.id }), 8);

    const taken = await bookForMember(
      db,
      {
        pcId: pcs.L1!.id,
        memberId: (await addMember(db, centre.id, clock)).id,
        startsAt: at("2026-11-26T14:30"),
        minutes: 30,
      },
      desk(),
    ).catch((e: unknown) => e);
    assert.ok(taken instanceof Conflict && taken.code === "slot_taken");
    assert.equal(taken.fields[0]!.params!.clashes, "L1 14:30–15:00");

    assert.deepEqual(
      await problems(
        bookClass(
          db,
          centre.id,
          { title: "", pcIds: [pcs.A1!.id], startsAt: at("2026-11-26T13:00"), minutes: 60 },
          desk(),
        ),
      ),
      ["title:required", "pc_ids:invalid_choice"],
    );
    await assert.rejects(
      bookClass(
        db,
        centre.id,
        { title: "x", pcIds: "all", startsAt: at("2026-11-26T16:00"), minutes: 30 },
        {
          actor: staffActor("instructor", centre.id),
          clock,
        },
      ),
      Forbidden,
    );
    await assert.rejects(
      bookClass(
        db,
        centre.id,
        { title: "x", pcIds: "all", startsAt: at("2026-11-26T16:00"), minutes: 30 },
        {
          actor: staffActor("centre_manager", other.id),
          clock,
        },
      ),
      Forbidden,
    );
  });

  it("RACE: 20 concurrent bookings of one PC and slot, each in its own transaction: exactly one wins", async () => {
    const { db } = get();
    const members = [];
    for (let i = 0; i < 20; i++) members.push(await addMember(db, centre.id, clock));
    const startsAt = at("2026-11-30T12:00");
    const results = await Promise.allSettled(
      members.map((m) =>
        db
          .transaction()
          .execute((trx) =>
            bookForMember(trx, { pcId: pcs.A3!.id, memberId: m.id, startsAt, minutes: 30 }, desk()),
          ),
      ),
    );
    const won = results.filter((r) => r.status === "fulfilled");
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    assert.equal(won.length, 1, "exactly one booking succeeds");
    assert.equal(lost.length, 19);
    for (const r of lost) {
      assert.ok(r.reason instanceof Conflict, String(r.reason));
      assert.equal((r.reason as Conflict).code, "slot_taken");
      assert.equal(
        (r.reason as Conflict).fields[0]!.params!.clashes,
        "A3 12:00–12:30",
        "names the time taken",
      );
    }
    const live = await db
      .selectFrom("reservation_slots")
      .select("slot_start")
      .where("pc_id", "=", pcs.A3!.id)
      .where("slot_start", "=", startsAt.toISOString())
      .where("deleted_at", "is", null)
      .execute();
    assert.equal(live.length, 1, "one live row for the slot");
    const booked = await db
      .selectFrom("reservations")
      .select("id")
      .where("pc_id", "=", pcs.A3!.id)
      .where("starts_at", "=", startsAt.toISOString())
      .execute();
    assert.equal(booked.length, 1, "the losers' reservations were rolled back");
  });

  it("the unique (PC, slot) index over live rows is what refuses a second booking, on this database", async () => {
    const { db } = get();
    const r = await bookForMember(
      db,
      {
        pcId: pcs.A2!.id,
        memberId: (await addMember(db, centre.id, clock)).id,
        startsAt: at("2026-11-30T15:00"),
        minutes: 15,
      },
      desk(),
    );
    const slot = (id: string) => ({
      id,
      centre_id: centre.id,
      reservation_id: r.id,
      pc_id: pcs.A2!.id,
      slot_start: r.starts_at,
      created_at: NOW,
      updated_at: NOW,
      deleted_at: null,
    });
    const refused = await db
      .transaction()
      .execute((trx) => insertSlots(trx, [slot(newId())]))
      .catch((e: unknown) => e);
    assert.ok(isUniqueViolation(refused), `a unique violation, got ${String(refused)}`);
    // Cancelling tombstones the slot; the same slot can then be booked again.
    await cancelReservation(db, r.id, desk());
    const again = await bookForMember(
      db,
      {
        pcId: pcs.A2!.id,
        memberId: (await addMember(db, centre.id, clock)).id,
        startsAt: at("2026-11-30T15:00"),
        minutes: 15,
      },
      desk(),
    );
    assert.equal(again.status, "booked");
  });

  it("releases a booking nobody claimed after the grace period; the statistics stay and the slots free up", async () => {
    const { db } = get();
    const c = manualClock(NOW);
    const m = await addMember(db, centre.id, c, { gender: "male", date_of_birth: "1960-01-01" });
    const r = await bookForMember(
      db,
      { pcId: pcs.A1!.id, memberId: m.id, startsAt: at("2026-11-25T12:00"), minutes: 45 },
      { actor: memberActor(m), clock: c },
    );
    c.set(at("2026-11-25T12:09"));
    assert.equal(
      (await releaseNoShows(db, c)).filter((x) => x.id === r.id).length,
      0,
      "still within the grace",
    );
    c.set(at("2026-11-25T12:10"));
    const released = (await releaseNoShows(db, c)).filter((x) => x.id === r.id);
    assert.equal(released.length, 1);
    assert.equal(released[0]!.pc_id, pcs.A1!.id);
    const row = await db
      .selectFrom("reservations")
      .selectAll()
      .where("id", "=", r.id)
      .executeTakeFirstOrThrow();
    assert.equal(row.status, "released");
    assert.deepEqual(
      { c: row.category_code, a: row.age_group, g: row.gender },
      { c: "general", a: "65+", g: "male" },
    );
    assert.equal(await liveSlotCount(db, { reservationId: r.id }), 0);
    // The rest of the time can be booked by someone else.
    const next = await bookForMember(
      db,
      {
        pcId: pcs.A1!.id,
        memberId: (await addMember(db, centre.id, c)).id,
        startsAt: at("2026-11-25T12:15"),
        minutes: 30,
      },
      { actor: staffActor("staff", centre.id), clock: c },
    );
    assert.equal(next.status, "booked");
    assert.equal((await releaseNoShows(db, c)).filter((x) => x.id === r.id).length, 0, "released once");
  });

  it("claims an arrival from a slot before the start; a claimed booking is not released", async () => {
    const { db } = get();
    const c = manualClock(NOW);
    const m = await addMember(db, centre.id, c);
    const r = await bookForMember(
      db,
      { pcId: pcs.A2!.id, memberId: m.id, startsAt: at("2026-11-25T13:00"), minutes: 30 },
      { actor: staffActor("staff", centre.id), clock: c },
    );
    const ctx = { actor: staffActor("staff", centre.id), clock: c };
    c.set(at("2026-11-25T12:30"));
    await assert.rejects(claimReservation(db, r.id, ctx), (e: Conflict) => e.code === "claim_too_early");
    await assert.rejects(
      claimReservation(db, r.id, { actor: staffActor("staff", other.id), clock: c }),
      Forbidden,
    );
    await assert.rejects(claimReservation(db, r.id, { actor: memberActor(m), clock: c }));
    c.set(at("2026-11-25T12:50"));
    assert.equal((await claimReservation(db, r.id, ctx)).status, "claimed");
    c.set(at("2026-11-25T13:20"));
    assert.equal((await releaseNoShows(db, c)).filter((x) => x.id === r.id).length, 0);
    await assert.rejects(
      claimReservation(db, r.id, ctx),
      (e: Conflict) => e.code === "reservation_not_booked",
    );
  });

  it("a member cancels their own future booking only; the desk cancels any of its centre", async () => {
    const { db } = get();
    const m = await addMember(db, centre.id, clock);
    const someone = await addMember(db, centre.id, clock);
    const r = await bookForMember(
      db,
      { pcId: pcs.A3!.id, memberId: m.id, startsAt: at("2026-11-27T09:00"), minutes: 30 },
      { actor: memberActor(m), clock },
    );
    await assert.rejects(
      cancelReservation(db, r.id, { actor: memberActor(someone), clock }),
      (e: DomainError) => e.status === 404,
    );
    await assert.rejects(
      cancelReservation(db, r.id, { actor: staffActor("staff", other.id), clock }),
      Forbidden,
    );
    const done = await cancelReservation(db, r.id, { actor: memberActor(m), clock });
    assert.equal(done.status, "cancelled");
    assert.equal(await liveSlotCount(db, { reservationId: r.id }), 0);
    await assert.rejects(
      cancelReservation(db, r.id, { actor: memberActor(m), clock }),
      (e: Conflict) => e.code === "reservation_not_booked",
    );
    const row = await db
      .selectFrom("reservations")
      .select(["status", "category_code"])
      .where("id", "=", r.id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(row, { status: "cancelled", category_code: "general" });
  });

  it("shows the day as PCs × open slots with what is booked", async () => {
    const { db } = get();
    const a = await availability(db, centre.id, "2026-11-26");
    assert.equal(a.slots.length, 32, "09:00–17:00 in quarter hours");
    assert.equal(a.slots[0], "2026-11-26T04:00:00.000Z");
    assert.equal(a.pcs.length, 8);
    const lab = a.taken.get(`${pcs.L1!.id}|${at("2026-11-26T13:00").toISOString()}`);
    assert.equal(lab?.kind, "class");
    assert.equal(lab?.title, "Basic computing");
    const friday = await availability(db, centre.id, "2026-11-27");
    assert.equal(friday.slots.length, 14 + 10, "09:00–12:30 and 14:30–17:00");
    assert.equal((await availability(db, centre.id, "2026-11-29")).slots.length, 0, "Sunday");
  });
});
