// Member categories are data a manager edits; each centre starts with these.

import { recordAudit } from "../audit/recordAudit.ts";
import type { Actor } from "../audit/actor.ts";
import type { Clock } from "../db/clock.ts";
import type { Executor } from "../db/connect.ts";
import { newId } from "../db/ids.ts";
import type { MemberCategoryTable } from "../db/schema.ts";
import { assertCentreAccess, assertRole, MANAGERS } from "../identity/policy.ts";
import { Conflict, NotFound, ValidationFailed, type FieldProblem } from "../server/errors.ts";
import { findCategory, insertCategory, listCategories, updateCategoryRow } from "./queries.ts";

export const DEFAULT_CATEGORIES: readonly Pick<MemberCategoryTable, "code" | "name_ur" | "name_en">[] = [
  { code: "general", name_ur: "عام", name_en: "General" },
  { code: "student", name_ur: "طالب علم", name_en: "Student" },
  { code: "senior", name_ur: "بزرگ شہری", name_en: "Senior citizen" },
  { code: "women", name_ur: "خواتین کے اوقات", name_en: "Women-only hours" },
  { code: "disability", name_ur: "معذور افراد", name_en: "Person with disability" },
];

interface Ctx {
  actor: Actor;
  clock: Clock;
}

/** The centre's categories, creating the defaults the first time. */
export async function ensureCategories(
  db: Executor,
  centreId: string,
  clock: Clock,
): Promise<MemberCategoryTable[]> {
  const existing = await listCategories(db, centreId);
  if (existing.length > 0) return existing;
  const now = clock.now().toISOString();
  for (const [i, c] of DEFAULT_CATEGORIES.entries()) {
    await insertCategory(db, {
      id: newId(),
      centre_id: centreId,
      ...c,
      sort_order: i,
      active: 1,
      created_at: now,
      updated_at: now,
      deleted_at: null,
    });
  }
  return listCategories(db, centreId);
}

function checkNames(raw: Record<string, unknown>): { name_ur: string; name_en: string } {
  const problems: FieldProblem[] = [];
  const name = (key: "name_ur" | "name_en") => {
    const v = typeof raw[key] === "string" ? (raw[key] as string).trim() : "";
    if (!v) problems.push({ path: `/${key}`, code: "required" });
    else if (v.length > 60) problems.push({ path: `/${key}`, code: "too_long", params: { limit: 60 } });
    return v;
  };
  const out = { name_ur: name("name_ur"), name_en: name("name_en") };
  if (problems.length) throw new ValidationFailed(problems);
  return out;
}

export async function addCategory(
  db: Executor,
  centreId: string,
  raw: Record<string, unknown>,
  ctx: Ctx,
): Promise<MemberCategoryTable> {
  assertRole(ctx.actor, MANAGERS);
  assertCentreAccess(ctx.actor, centreId);
  const names = checkNames(raw);
  const code = typeof raw.code === "string" ? raw.code.trim().toLowerCase() : "";
  if (!/^[a-z][a-z0-9-]{1,29}$/.test(code))
    throw new ValidationFailed([{ path: "/code", code: "invalid_format" }]);
  const existing = await ensureCategories(db, centreId, ctx.clock);
  if (existing.some((c) => c.code === code)) throw new ValidationFailed([{ path: "/code", code: "taken" }]);
  const now = ctx.clock.now().toISOString();
  const row: MemberCategoryTable = {
    id: newId(),
    centre_id: centreId,
    code,
    ...names,
    sort_order: existing.length,
    active: 1,
    created_at: now,
    updated_at: now,
    deleted_at: null,
  };
  await insertCategory(db, row);
  await recordAudit(
    db,
    ctx.actor,
    {
      action: "member_category.created",
      entity: "member_category",
      entityId: row.id,
      centreId,
      details: { code },
    },
    ctx.clock,
  );
  return row;
}

export async function updateCategory(
  db: Executor,
  id: string,
  raw: Record<string, unknown>,
  ctx: Ctx,
): Promise<MemberCategoryTable> {
  assertRole(ctx.actor, MANAGERS);
  const current = await findCategory(db, id);
  if (!current) throw new NotFound("member_category");
  assertCentreAccess(ctx.actor, current.centre_id);
  const names = checkNames(raw);
  const active = raw.active === "1" || raw.active === true ? 1 : 0;
  if (!active && current.code === "general") throw new Conflict("general_category_needed");
  const changes = { ...names, active, updated_at: ctx.clock.now().toISOString() };
  await updateCategoryRow(db, id, changes);
  await recordAudit(
    db,
    ctx.actor,
    {
      action: "member_category.updated",
      entity: "member_category",
      entityId: id,
      centreId: current.centre_id,
      details: { ...names, active },
    },
    ctx.clock,
  );
  return { ...current, ...changes };
}
