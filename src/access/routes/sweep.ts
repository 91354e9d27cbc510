// The timed work of a centre's reservations and queue, run when its pages are asked for.

import type { FastifyBaseLogger } from "fastify";
import type { Clock } from "../../db/clock.ts";
import type { Executor } from "../../db/connect.ts";
import { accessSweep } from "../queue.ts";

const lastSweep = new Map<string, number>();
const SWEEP_EVERY_MS = 5_000;

/**
 * Releases no-shows and lapses unclaimed calls for a centre, at most every few seconds: the desk
 * pages and the TV (which asks every 2 s) keep a centre's reservations and queue moving.
 */
export async function sweepCentre(
  db: Executor,
  centreId: string,
  clock: Clock,
  log: FastifyBaseLogger,
): Promise<void> {
  const now = clock.now().getTime();
  const last = lastSweep.get(centreId);
  if (last !== undefined && now - last < SWEEP_EVERY_MS && now >= last) return;
  lastSweep.set(centreId, now);
  try {
    const done = await db.transaction().execute((trx) => accessSweep(trx, centreId, clock));
    if (done.released || done.expired || done.called.length)
      log.info({ centreId, ...done, called: done.called.length }, "access sweep");
  } catch (error) {
    log.warn({ err: error }, "access sweep failed");
  }
}
