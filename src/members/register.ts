// Registration at the desk, online self-registration (confirmed at the desk in person), edits.

import type { Actor } from "../audit/actor.ts";
import { recordAudit } from "../audit/recordAudit.ts";
import { findCentreById } from "../centres/queries.ts";
import type { Clock } from "../db/clock.ts";
import type { Executor } from "../db/connect.ts";
import { newId } from "../db/ids.ts";
import type { MemberTable } from "../db/schema.ts";
import { hashPassword } from "../identity/passwords.ts";
import { assertCentreAccess, assertRole, DESK } from "../identity/policy.ts";
import { Conflict, NotFound, ValidationFailed, type FieldProblem } from "../server/errors.ts";
import { ensureCategories } from "./categories.ts";
import { cnicHash, protectCnic, type MemberKeys } from "./keys.ts";
import { checkConsent, checkMemberFields, checkPin, type MemberFields } from "./memberInput.ts";
import { PRIVACY_NOTICE } from "./privacyNotice.ts";
import {
  findByNameAndBirth,
  findMemberByCnicHash,
  findMemberById,
  insertMember,
  nextMemberSequence,
  updateMemberRow,
} from "./queries.ts";

export interface MemberCtx {
  actor: Actor;
  clock: Clock;
  keys: MemberKeys;
}

/** A possible duplicate: same name and date of birth. The desk confirms it is someone else. */
export class PossibleDuplicate extends Conflict {
  constructor(readonly matches: Pick<MemberTable, "id" | "member_no">[]) {
    super("possible_duplicate", [
      {
        path: "/confirm_not_duplicate",
        code: "possible_duplicate",
        params: { numbers: matches.map((m) => m.member_no).join(", ") },
      },
    ]);
  }
}

function today(clock: Clock): string {
  return clock.now().toISOString().slice(0, 10);
}

async function checkDuplicates(
  db: Executor,
  fields: MemberFields,
  hash: string,
  raw: Record<string, unknown>,
  selfId: string | null,
): Promise<void> {
  const sameCnic = await findMemberByCnicHash(db, hash);
  if (sameCnic && sameCnic.id !== selfId) {
    throw new ValidationFailed([
      { path: "/cnic", code: "cnic_registered", params: { number: sameCnic.member_no } },
    ]);
  }
  if (raw.confirm_not_duplicate === "yes") return;
  const sameName = (
    await findByNameAndBirth(db, {
      nameUr: fields.full_name_ur,
      nameEn: fields.full_name_en,
      dateOfBirth: fields.date_of_birth,
    })
  ).filter((m) => m.id !== selfId);
  if (sameName.length > 0) throw new PossibleDuplicate(sameName);
}

async function memberNumber(db: Executor, centreId: string): Promise<string> {
  const centre = await findCentreById(db, centreId);
  if (!centre) throw new NotFound("centre");
  const n = await nextMemberSequence(db, centreId);
  return `${centre.code}-${String(n).padStart(6, "0")}`;
}

async function validate(
  db: Executor,
  centreId: string,
  raw: Record<string, unknown>,
  ctx: MemberCtx,
  extra: FieldProblem[],
): Promise<MemberFields> {
  const categories = await ensureCategories(db, centreId, ctx.clock);
  const { fields, problems } = checkMemberFields(raw, categories, today(ctx.clock));
  const all = [...problems, ...extra];
  if (all.length > 0 || !fields) throw new ValidationFailed(all);
  return fields;
}

function rowFrom(
  fields: MemberFields,
  centreId: string,
  memberNo: string,
  keys: MemberKeys,
  now: string,
): MemberTable {
  const { cnic_digits, ...rest } = fields;
  return {
    id: newId(),
    centre_id: centreId,
    member_no: memberNo,
    status: "active",
    ...rest,
    ...protectCnic(keys, cnic_digits),
    photo_path: null,
    consent_version: PRIVACY_NOTICE.version,
    consent_at: now,
    confirmed_at: null,
    confirmed_by: null,
    pin_hash: null,
    pin_failures: 0,
    pin_locked_until: null,
    card_serial: 0,
    last_seen_at: now,
    erased_at: null,
    created_at: now,
    updated_at: now,
    deleted_at: null,
  };
}

/** Front-desk registration: the person is there with their card, so the member is active at once. */
export async function registerMember(
  db: Executor,
  centreId: string,
  raw: Record<string, unknown>,
  ctx: MemberCtx,
): Promise<MemberTable> {
  assertRole(ctx.actor, DESK);
  assertCentreAccess(ctx.actor, centreId);
  const pin = checkPin(raw, false);
  const fields = await validate(db, centreId, raw, ctx, [...checkConsent(raw), ...pin.problems]);
  await checkDuplicates(db, fields, cnicHash(ctx.keys, fields.cnic_digits), raw, null);
  const now = ctx.clock.now().toISOString();
  const row = rowFrom(fields, centreId, await memberNumber(db, centreId), ctx.keys, now);
  row.confirmed_at = now;
  row.confirmed_by = ctx.actor.kind === "staff" ? ctx.actor.id : null;
  if (pin.pin) row.pin_hash = await hashPassword(pin.pin);
  await insertMember(db, row);
  await recordAudit(
    db,
    ctx.actor,
    {
      action: "member.registered",
      entity: "member",
      entityId: row.id,
      centreId,
      details: { member_no: row.member_no },
    },
    ctx.clock,
  );
  return row;
}

/**
 * Online self-registration: kept pending until the desk sees the person and their card. A
 * duplicate CNIC is refused without saying whose it is (the form is public).
 */
export async function selfRegister(
  db: Executor,
  centreId: string,
  raw: Record<string, unknown>,
  ctx: MemberCtx,
): Promise<MemberTable> {
  const pin = checkPin(raw, true);
  const fields = await validate(db, centreId, raw, ctx, [...checkConsent(raw), ...pin.problems]);
  const hash = cnicHash(ctx.keys, fields.cnic_digits);
  if (await findMemberByCnicHash(db, hash)) {
    throw new ValidationFailed([{ path: "/cnic", code: "cnic_registered_public" }]);
  }
  const now = ctx.clock.now().toISOString();
  const row = rowFrom(fields, centreId, await memberNumber(db, centreId), ctx.keys, now);
  row.status = "pending";
  row.pin_hash = await hashPassword(pin.pin!);
  await insertMember(db, row);
  await recordAudit(
    db,
    ctx.actor,
    {
      action: "member.self_registered",
      entity: "member",
      entityId: row.id,
      centreId,
      details: { member_no: row.member_no },
    },
    ctx.clock,
  );
  return row;
}

export async function loadMemberFor(db: Executor, id: string, actor: Actor): Promise<MemberTable> {
  const m = await findMemberById(db, id);
  if (!m || m.status === "erased") throw new NotFound("member");
  assertCentreAccess(actor, m.centre_id);
  return m;
}

/** The desk has seen the person and their card: a pending registration becomes a member. */
export async function confirmMember(db: Executor, id: string, ctx: MemberCtx): Promise<MemberTable> {
  assertRole(ctx.actor, DESK);
  const m = await loadMemberFor(db, id, ctx.actor);
  if (m.status !== "pending") throw new Conflict("member_not_pending");
  const now = ctx.clock.now().toISOString();
  const changes = {
    status: "active" as const,
    confirmed_at: now,
    confirmed_by: ctx.actor.kind === "staff" ? ctx.actor.id : null,
    updated_at: now,
  };
  await updateMemberRow(db, id, changes);
  await recordAudit(
    db,
    ctx.actor,
    { action: "member.confirmed", entity: "member", entityId: id, centreId: m.centre_id },
    ctx.clock,
  );
  return { ...m, ...changes };
}

/** Corrects a member's details at the desk. A new CNIC is encrypted, hashed and sealed again. */
export async function updateMember(
  db: Executor,
  id: string,
  raw: Record<string, unknown>,
  ctx: MemberCtx,
): Promise<MemberTable> {
  assertRole(ctx.actor, DESK);
  const m = await loadMemberFor(db, id, ctx.actor);
  const fields = await validate(db, m.centre_id, raw, ctx, []);
  const hash = cnicHash(ctx.keys, fields.cnic_digits);
  await checkDuplicates(db, fields, hash, raw, m.id);
  const { cnic_digits, ...rest } = fields;
  const now = ctx.clock.now().toISOString();
  const changes: Partial<MemberTable> = {
    ...rest,
    ...(hash !== m.cnic_hash ? protectCnic(ctx.keys, cnic_digits) : {}),
    updated_at: now,
  };
  await updateMemberRow(db, id, changes);
  const changed = Object.keys(rest).filter((k) => rest[k as keyof typeof rest] !== m[k as keyof MemberTable]);
  if (hash !== m.cnic_hash) changed.push("cnic");
  await recordAudit(
    db,
    ctx.actor,
    {
      action: "member.updated",
      entity: "member",
      entityId: id,
      centreId: m.centre_id,
      details: { fields: changed },
    },
    ctx.clock,
  );
  return { ...m, ...changes };
}
