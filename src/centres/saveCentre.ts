import type { Actor } from "../audit/actor.ts";
import { recordAudit } from "../audit/recordAudit.ts";
import type { Clock } from "../db/clock.ts";
import type { Executor } from "../db/connect.ts";
import { newId } from "../db/ids.ts";
import type { CentreTable } from "../db/schema.ts";
import { assertCentreAccess, assertRole, MANAGERS } from "../identity/policy.ts";
import { Conflict, Forbidden, NotFound, ValidationFailed } from "../server/errors.ts";
import { checkInput } from "../server/validation.ts";
import { DEFAULT_OPENING_HOURS, openingHoursProblems } from "./openingHours.ts";
import { presentCentre } from "./presenters.ts";
import {
  findCentreByCode,
  insertCentre,
  insertHoursException,
  listHoursExceptions,
  tombstoneHoursExceptions,
  updateCentreRow,
  updateHoursException,
} from "./queries.ts";
import { CentreCreate, CentreUpdate, type CentreView, type HoursException } from "./schemas.ts";

interface Ctx {
  actor: Actor;
  clock: Clock;
}

function timeZoneProblem(tz: string | undefined) {
  if (tz === undefined) return [];
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return [];
  } catch {
    return [{ path: "/time_zone", code: "invalid_choice" }];
  }
}

/** Schema problems and the rules a schema cannot state, reported together in one answer. */
function checkedWithRules<S extends typeof CentreCreate | typeof CentreUpdate>(schema: S, raw: unknown) {
  const { value, problems } = checkInput(schema, raw);
  const shapeBroken = (prefix: string) => problems.some((p) => p.path.startsWith(prefix));
  const v = value as CentreUpdate;
  if (!shapeBroken("/time_zone")) problems.push(...timeZoneProblem(v.time_zone));
  if (!shapeBroken("/opening_hours") && !shapeBroken("/exceptions")) {
    problems.push(...openingHoursProblems(v.opening_hours, v.exceptions));
  }
  if (problems.length) throw new ValidationFailed(problems);
  return value;
}

function emptyToNull(value: string | null | undefined): string | null {
  return value === undefined || value === null || value.trim() === "" ? null : value.trim();
}

/** Replaces a centre's exceptions by date: same date updates, new date inserts, missing date is tombstoned. */
async function saveExceptions(db: Executor, centreId: string, wanted: HoursException[], nowIso: string) {
  const current = await listHoursExceptions(db, centreId);
  const byDate = new Map(current.map((r) => [r.date, r]));
  for (const e of wanted) {
    const values = {
      closed: e.closed ? 1 : 0,
      opens: e.closed ? null : (e.opens ?? null),
      closes: e.closed ? null : (e.closes ?? null),
      note: e.note ?? "",
    };
    const existing = byDate.get(e.date);
    if (existing) {
      await updateHoursException(db, existing.id, { ...values, updated_at: nowIso });
      byDate.delete(e.date);
    } else {
      await insertHoursException(db, {
        id: newId(),
        centre_id: centreId,
        date: e.date,
        ...values,
        created_at: nowIso,
        updated_at: nowIso,
        deleted_at: null,
      });
    }
  }
  await tombstoneHoursExceptions(
    db,
    [...byDate.values()].map((r) => r.id),
    nowIso,
  );
}

/** Only headquarters opens a centre (or the CLI, for a standalone install). */
export async function createCentre(db: Executor, rawInput: unknown, ctx: Ctx): Promise<CentreView> {
  if (ctx.actor.kind === "staff" && ctx.actor.role !== "hq_admin") throw new Forbidden();
  const input = checkedWithRules(CentreCreate, rawInput);
  if (await findCentreByCode(db, input.code))
    throw new Conflict("centre_code_taken", [{ path: "/code", code: "taken" }]);
  const now = ctx.clock.now().toISOString();
  const row: CentreTable = {
    id: newId(),
    code: input.code,
    name_ur: input.name_ur.trim(),
    name_en: input.name_en.trim(),
    district: input.district.trim(),
    province: input.province,
    address: input.address.trim(),
    time_zone: input.time_zone,
    phone: emptyToNull(input.phone),
    email: emptyToNull(input.email),
    opening_hours: JSON.stringify(input.opening_hours ?? DEFAULT_OPENING_HOURS),
    created_at: now,
    updated_at: now,
    deleted_at: null,
  };
  await insertCentre(db, row);
  await saveExceptions(db, row.id, input.exceptions ?? [], now);
  await recordAudit(
    db,
    ctx.actor,
    {
      action: "centre.created",
      entity: "centre",
      entityId: row.id,
      centreId: row.id,
      details: { code: row.code },
    },
    ctx.clock,
  );
  return presentCentre(row, await listHoursExceptions(db, row.id));
}

/** A manager edits their own centre; headquarters edits any. */
export async function updateCentre(
  db: Executor,
  code: string,
  rawInput: unknown,
  ctx: Ctx,
): Promise<CentreView> {
  assertRole(ctx.actor, MANAGERS);
  const centre = await findCentreByCode(db, code);
  if (!centre) throw new NotFound("centre");
  assertCentreAccess(ctx.actor, centre.id);
  const input = checkedWithRules(CentreUpdate, rawInput);
  const now = ctx.clock.now().toISOString();
  const changes: Partial<CentreTable> = {};
  for (const key of ["name_ur", "name_en", "district", "address"] as const) {
    if (input[key] !== undefined) changes[key] = input[key].trim();
  }
  if (input.province !== undefined) changes.province = input.province;
  if (input.time_zone !== undefined) changes.time_zone = input.time_zone;
  if (input.phone !== undefined) changes.phone = emptyToNull(input.phone);
  if (input.email !== undefined) changes.email = emptyToNull(input.email);
  if (input.opening_hours !== undefined) changes.opening_hours = JSON.stringify(input.opening_hours);
  const changed = Object.keys(changes).filter(
    (k) => changes[k as keyof CentreTable] !== centre[k as keyof CentreTable],
  );
  await updateCentreRow(db, centre.id, { ...changes, updated_at: now });
  if (input.exceptions !== undefined) {
    await saveExceptions(db, centre.id, input.exceptions, now);
    changed.push("exceptions");
  }
  await recordAudit(
    db,
    ctx.actor,
    {
      action: "centre.updated",
      entity: "centre",
      entityId: centre.id,
      centreId: centre.id,
      details: { changed },
    },
    ctx.clock,
  );
  const updated = await findCentreByCode(db, code);
  return presentCentre(updated!, await listHoursExceptions(db, centre.id));
}

export async function getCentre(db: Executor, code: string): Promise<CentreView> {
  const centre = await findCentreByCode(db, code);
  if (!centre) throw new NotFound("centre");
  return presentCentre(centre, await listHoursExceptions(db, centre.id));
}
