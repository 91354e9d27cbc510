// Reservation contention, run in-process against the bench's database once the server has stopped:
// many members booking the same (PC, slot) targets at once, and a SQL check that none was booked twice.
import { sql } from "kysely";
import { bookForMember, cancelReservation, localDate, localToInstant } from "../src/access/reservations.ts";
import type { Actor } from "../src/audit/actor.ts";
import { systemClock } from "../src/db/clock.ts";
import type { Db } from "../src/db/connect.ts";
import { DomainError } from "../src/server/errors.ts";
import type { Fixture } from "./accessFixture.ts";
import { distribution, Tally, type Distribution } from "./accessMeasures.ts";

/** Each round books every target BOOKING_CONCURRENCY times at once, all in flight together. */
export const BOOKING_TARGETS = 20;
export const BOOKING_CONCURRENCY = 50;

export interface BookingResult {
  over: "in-process bookForMember calls on the bench's own connection (not HTTP)";
  targets: number;
  concurrencyPerTarget: number;
  rounds: number;
  requests: number;
  seconds: number;
  requestsPerSecond: number;
  successes: number;
  slotConflicts: number;
  otherRefusals: Record<string, number>;
  errors: ReturnType<Tally["toJSON"]>;
  /** Rounds × targets that ended with exactly one booking. */
  targetsWithOneWinner: number;
  targetsWithoutWinner: number;
  targetsWithSeveralWinners: number;
  latencyMs: Distribution;
  check: { sql: string; rows: number; liveTargetSlots: number; ok: boolean };
}

const DOUBLE_BOOKING_SQL =
  "select pc_id, slot_start, count(*) as n from reservation_slots where deleted_at is null group by pc_id, slot_start having count(*) > 1";

export async function bookingContention(
  db: Db,
  fixture: Fixture,
  seconds: number,
  log: (m: string) => void,
): Promise<BookingResult> {
  const clock = systemClock;
  const actor: Actor = {
    kind: "staff",
    id: fixture.staff.id,
    name: fixture.staff.username,
    role: "staff",
    centreId: fixture.centreId,
    ip: null,
  };
  const ctx = { actor, clock };
  // Tomorrow in the centre's zone, one slot per target from 10:00 on, each on its own PC.
  const day = localDate(new Date(clock.now().getTime() + 86_400_000), fixture.timeZone);
  const targets = Array.from({ length: BOOKING_TARGETS }, (_x, i) => {
    const minutes = 10 * 60 + i * 30;
    const time = `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
    const start = localToInstant(day, time, fixture.timeZone);
    if (!start) throw new Error(`no instant for ${day} ${time}`);
    return { pcId: fixture.pcs[i]!.id, start };
  });
  const otherRefusals = new Tally();
  const errors = new Tally();
  const latencies: number[] = [];
  let requests = 0;
  let successes = 0;
  let slotConflicts = 0;
  let one = 0;
  let none = 0;
  let several = 0;
  let rounds = 0;
  let busyMs = 0;
  const M = fixture.members.length;
  log(`reservations: ${BOOKING_TARGETS} targets × ${BOOKING_CONCURRENCY} concurrent bookings, ${seconds} s`);
  const until = performance.now() + seconds * 1000;
  for (;;) {
    const winners: string[][] = targets.map(() => []);
    const calls: Promise<void>[] = [];
    const started = performance.now();
    // Interleaved, so the requests in flight together are spread over all targets.
    for (let j = 0; j < BOOKING_CONCURRENCY; j++) {
      targets.forEach((target, i) => {
        // 50 different members per target; a member also tries a few other targets (other times).
        const member = fixture.members[(i * BOOKING_CONCURRENCY + j + rounds * 7) % M]!;
        const t = performance.now();
        requests++;
        calls.push(
          bookForMember(
            db,
            { pcId: target.pcId, memberId: member.id, startsAt: target.start, minutes: 15 },
            ctx,
          )
            .then((row) => {
              successes++;
              winners[i]!.push(row.id);
            })
            .catch((error: unknown) => {
              if (error instanceof DomainError && error.code === "slot_taken") slotConflicts++;
              else if (error instanceof DomainError)
                otherRefusals.add(`${error.code}${error.fields[0] ? `/${error.fields[0].code}` : ""}`);
              else errors.add(String((error as Error).message ?? error).split("\n")[0]!);
            })
            .finally(() => latencies.push(performance.now() - t)),
        );
      });
    }
    await Promise.all(calls);
    busyMs += performance.now() - started;
    rounds++;
    for (const w of winners) {
      if (w.length === 1) one++;
      else if (w.length === 0) none++;
      else several++;
    }
    // The last round's bookings stay for the check; otherwise free the slots for the next round
    // (not timed): cancelled slots are tombstoned, so the same (PC, slot) targets are booked again.
    if (performance.now() >= until) break;
    for (const id of winners.flat()) await cancelReservation(db, id, ctx);
  }
  const found = await sql<{
    pc_id: string;
    slot_start: string;
    n: number;
  }>`${sql.raw(DOUBLE_BOOKING_SQL)}`.execute(db);
  const live = await db
    .selectFrom("reservation_slots")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("deleted_at", "is", null)
    .where(
      "pc_id",
      "in",
      targets.map((t) => t.pcId),
    )
    .executeTakeFirstOrThrow();
  const liveTargetSlots = Number(live.n);
  const busySeconds = busyMs / 1000;
  return {
    over: "in-process bookForMember calls on the bench's own connection (not HTTP)",
    targets: BOOKING_TARGETS,
    concurrencyPerTarget: BOOKING_CONCURRENCY,
    rounds,
    requests,
    seconds: Math.round(busySeconds * 100) / 100,
    requestsPerSecond: Math.round(requests / busySeconds),
    successes,
    slotConflicts,
    otherRefusals: otherRefusals.counts,
    errors: errors.toJSON(),
    targetsWithOneWinner: one,
    targetsWithoutWinner: none,
    targetsWithSeveralWinners: several,
    latencyMs: distribution(latencies),
    check: {
      sql: DOUBLE_BOOKING_SQL,
      rows: found.rows.length,
      liveTargetSlots,
      ok: found.rows.length === 0 && several === 0 && liveTargetSlots <= BOOKING_TARGETS,
    },
  };
}
