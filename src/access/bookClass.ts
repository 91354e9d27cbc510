// Block-booking the training lab for a class.

import { recordAudit } from "../audit/recordAudit.ts";
import type { Executor } from "../db/connect.ts";
import { newId } from "../db/ids.ts";
import type { AccessStats, PcTable, ReservationTable } from "../db/schema.ts";
import { assertCentreAccess, assertRole, DESK } from "../identity/policy.ts";
import { Conflict, ValidationFailed, type FieldProblem } from "../server/errors.ts";
import { describeClashes, insertBooking, timeProblems } from "./bookingSlots.ts";
import { centreTime } from "./centreTime.ts";
import type { AccessCtx } from "./context.ts";
import { listPcs } from "./queries.ts";
import { liveSlots } from "./reservationQueries.ts";
import { SLOT_MINUTES } from "./reservationSettings.ts";
import { inTransaction } from "./transactions.ts";

/** The longest class block: a whole day. */
export const CLASS_MAX_MINUTES = 600;
/** How far ahead a class may be booked. */
export const CLASS_HORIZON_DAYS = 180;

export interface ClassBookingInput {
  title: string;
  /** Chosen lab PCs, or "all" (an empty list means all too). */
  pcIds: string[] | "all";
  startsAt: Date | string | null;
  minutes: number;
}

/**
 * Block-books the training lab (every lab PC, or the chosen ones) for a class. Anything already
 * booked in that time refuses the whole block, naming each clashing PC and time.
 */
export async function bookClass(
  db: Executor,
  centreId: string,
  input: ClassBookingInput,
  ctx: AccessCtx,
): Promise<ReservationTable[]> {
  assertRole(ctx.actor, DESK);
  assertCentreAccess(ctx.actor, centreId);
  return inTransaction(db, async (trx) => {
    const now = ctx.clock.now();
    const problems: FieldProblem[] = [];
    const title = input.title.trim();
    if (!title) problems.push({ path: "/title", code: "required" });
    else if (title.length > 120) problems.push({ path: "/title", code: "too_long", params: { limit: 120 } });
    const lab = (await listPcs(trx, centreId, "lounge")).filter((p) => p.room === "lab" && !p.out_of_order);
    let pcs: PcTable[];
    if (input.pcIds === "all" || input.pcIds.length === 0) {
      pcs = lab;
      if (lab.length === 0) problems.push({ path: "/pc_ids", code: "no_lab_pcs" });
    } else {
      const wanted = new Set(input.pcIds);
      pcs = lab.filter((p) => wanted.has(p.id));
      if (pcs.length !== wanted.size) problems.push({ path: "/pc_ids", code: "invalid_choice" });
    }
    const ct = await centreTime(trx, centreId);
    const start = input.startsAt === null ? null : new Date(input.startsAt);
    problems.push(
      ...timeProblems(
        start,
        input.minutes,
        { min: SLOT_MINUTES, max: CLASS_MAX_MINUTES, horizonDays: CLASS_HORIZON_DAYS },
        ct,
        now,
      ),
    );
    if (problems.length) throw new ValidationFailed(problems);
    const startsAt = start!;
    const endsAt = new Date(startsAt.getTime() + input.minutes * 60_000);
    const clash = (clashes: string) =>
      new Conflict("class_clash", [{ path: "/pc_ids", code: "class_clash", params: { clashes } }]);
    const taken = await liveSlots(
      trx,
      pcs.map((p) => p.id),
      startsAt.toISOString(),
      endsAt.toISOString(),
    );
    if (taken.length) throw clash(describeClashes(taken, ct.timeZone));

    const nowIso = now.toISOString();
    const stats: AccessStats = { category_code: "class", age_group: null, gender: null };
    const rows: ReservationTable[] = [];
    for (const pc of pcs) {
      const row: ReservationTable = {
        id: newId(),
        centre_id: centreId,
        pc_id: pc.id,
        member_id: null,
        kind: "class",
        title,
        starts_at: startsAt.toISOString(),
        ends_at: endsAt.toISOString(),
        status: "booked",
        ...stats,
        created_at: nowIso,
        updated_at: nowIso,
        deleted_at: null,
      };
      await insertBooking(trx, row, clash, ct.timeZone);
      rows.push(row);
    }
    await recordAudit(
      trx,
      ctx.actor,
      {
        action: "reservation.class_booked",
        entity: "reservation",
        entityId: rows[0]?.id ?? null,
        centreId,
        details: {
          title,
          pcs: pcs.map((p) => p.name),
          starts_at: startsAt.toISOString(),
          ends_at: endsAt.toISOString(),
        },
      },
      ctx.clock,
    );
    return rows;
  });
}
