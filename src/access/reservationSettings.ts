// Per-centre settings for PC reservations and the walk-in queue, kept as one JSON setting.

import { recordAudit } from "../audit/recordAudit.ts";
import { getSetting, putSetting } from "../centres/queries.ts";
import type { Executor } from "../db/connect.ts";
import { assertCentreAccess, assertRole, MANAGERS } from "../identity/policy.ts";
import { ValidationFailed, type FieldProblem } from "../server/errors.ts";
import type { AccessCtx } from "./context.ts";

/** Bookings are held as fixed slots of this many minutes; not a setting. */
export const SLOT_MINUTES = 15;
export const SLOT_MS = SLOT_MINUTES * 60_000;

export interface ReservationSettings {
  /** Shortest booking, minutes (a multiple of the slot). */
  min_minutes: number;
  /** Longest booking, minutes (a multiple of the slot). */
  max_minutes: number;
  /** Free minutes a member must leave between two of their own bookings. */
  gap_minutes: number;
  /** Bookings a member may hold that have not ended yet. */
  max_future: number;
  /** Minutes after the start before a booking nobody came for is released. */
  grace_minutes: number;
  /** How many days ahead a member may book. */
  horizon_days: number;
  /** Minutes a called queue ticket has to claim its PC before the next is called. */
  claim_minutes: number;
}

export const DEFAULT_RESERVATION_SETTINGS: Readonly<ReservationSettings> = {
  min_minutes: 15,
  max_minutes: 120,
  gap_minutes: 0,
  max_future: 3,
  grace_minutes: 10,
  horizon_days: 7,
  claim_minutes: 3,
};

/** Each setting's allowed range; lengths must also be whole slots. */
export const SETTING_LIMITS: Record<keyof ReservationSettings, { min: number; max: number }> = {
  min_minutes: { min: 15, max: 480 },
  max_minutes: { min: 15, max: 480 },
  gap_minutes: { min: 0, max: 240 },
  max_future: { min: 1, max: 20 },
  grace_minutes: { min: 0, max: 60 },
  horizon_days: { min: 1, max: 60 },
  claim_minutes: { min: 1, max: 30 },
};

export const SETTING_KEYS = Object.keys(SETTING_LIMITS) as (keyof ReservationSettings)[];

const settingKey = (centreId: string) => `access.reservations:${centreId}`;

/** The centre's settings; anything missing or out of range falls back to the default. */
export async function reservationSettings(db: Executor, centreId: string): Promise<ReservationSettings> {
  const raw = await getSetting(db, settingKey(centreId));
  const out: ReservationSettings = { ...DEFAULT_RESERVATION_SETTINGS };
  if (!raw) return out;
  let parsed: Record<string, unknown> = {};
  try {
    parsed = JSON.parse(raw) as Record<string, unknown>;
  } catch {
    return out;
  }
  for (const key of SETTING_KEYS) {
    const v = parsed[key];
    const { min, max } = SETTING_LIMITS[key];
    if (typeof v === "number" && Number.isInteger(v) && v >= min && v <= max) out[key] = v;
  }
  if (out.max_minutes < out.min_minutes) out.max_minutes = out.min_minutes;
  return out;
}

/** Checks a manager's form and saves it; every problem is named beside its field. */
export async function saveReservationSettings(
  db: Executor,
  centreId: string,
  raw: Record<string, unknown>,
  ctx: AccessCtx,
): Promise<ReservationSettings> {
  assertRole(ctx.actor, MANAGERS);
  assertCentreAccess(ctx.actor, centreId);
  const problems: FieldProblem[] = [];
  const next = { ...DEFAULT_RESERVATION_SETTINGS };
  for (const key of SETTING_KEYS) {
    const text = typeof raw[key] === "string" ? (raw[key] as string).trim() : raw[key];
    const v = typeof text === "number" ? text : text === "" || text === undefined ? NaN : Number(text);
    const { min, max } = SETTING_LIMITS[key];
    if (!Number.isInteger(v) || v < min || v > max) {
      problems.push({ path: `/${key}`, code: "out_of_range", params: { min, max } });
      continue;
    }
    if ((key === "min_minutes" || key === "max_minutes") && v % SLOT_MINUTES !== 0) {
      problems.push({ path: `/${key}`, code: "not_whole_slots", params: { slot: SLOT_MINUTES } });
      continue;
    }
    next[key] = v;
  }
  if (!problems.length && next.max_minutes < next.min_minutes)
    problems.push({ path: "/max_minutes", code: "max_below_min" });
  if (problems.length) throw new ValidationFailed(problems);
  await putSetting(db, settingKey(centreId), JSON.stringify(next), ctx.clock.now().toISOString());
  await recordAudit(
    db,
    ctx.actor,
    {
      action: "reservations.settings_saved",
      entity: "centre",
      entityId: centreId,
      centreId,
      details: { ...next },
    },
    ctx.clock,
  );
  return next;
}
