// A member's own data, the full CNIC for a manager with a reason, erasure and retention.

import { recordAudit } from "../audit/recordAudit.ts";
import { getSetting, putSetting } from "../centres/queries.ts";
import type { Clock } from "../db/clock.ts";
import type { Executor } from "../db/connect.ts";
import type { MemberTable } from "../db/schema.ts";
import { assertCentreAccess, assertRole, MANAGERS } from "../identity/policy.ts";
import { ValidationFailed } from "../server/errors.ts";
import { formatCnic } from "./cnic.ts";
import { decryptField } from "./keys.ts";
import { readPhoto } from "./photos.ts";
import {
  findCategory,
  listCards,
  listLapsedMembers,
  revokeLiveCards,
  tombstonePhotos,
  updateMemberRow,
} from "./queries.ts";
import { loadMemberFor, type MemberCtx } from "./register.ts";

/** Everything Rasai holds about a member, for them to read and download. */
export async function exportMemberData(db: Executor, m: MemberTable, ctx: Pick<MemberCtx, "keys">) {
  const category = m.category_id ? await findCategory(db, m.category_id) : undefined;
  const cards = await listCards(db, m.id);
  const photo = await readPhoto(db, m, ctx.keys);
  return {
    member_no: m.member_no,
    status: m.status,
    full_name_ur: m.full_name_ur,
    full_name_en: m.full_name_en,
    id_kind: m.id_kind,
    cnic: m.cnic_enc ? formatCnic(decryptField(ctx.keys, m.cnic_enc)) : null,
    phone: m.phone_e164,
    date_of_birth: m.date_of_birth,
    gender: m.gender,
    district: m.district,
    education: m.education,
    disability: m.disability,
    category: category ? { code: category.code, name_ur: category.name_ur, name_en: category.name_en } : null,
    has_photo: photo !== null,
    // The photo itself, as stored: a JPEG, base64-encoded.
    photo: photo
      ? {
          content_type: photo.contentType,
          width: photo.width,
          height: photo.height,
          updated_at: photo.updatedAt,
          base64: photo.jpeg.toString("base64"),
        }
      : null,
    consent: { version: m.consent_version, at: m.consent_at },
    registered_at: m.created_at,
    confirmed_at: m.confirmed_at,
    last_seen_at: m.last_seen_at,
    cards: cards.map((c) => ({
      serial: c.serial,
      issued_at: c.issued_at,
      revoked_at: c.revoked_at,
      reason: c.revoked_reason,
    })),
  };
}

/** The full number, for a manager who says why; the reason goes to the audit log. */
export async function revealCnic(
  db: Executor,
  id: string,
  raw: Record<string, unknown>,
  ctx: MemberCtx,
): Promise<string> {
  assertRole(ctx.actor, MANAGERS);
  const m = await loadMemberFor(db, id, ctx.actor);
  const reason = typeof raw.reason === "string" ? raw.reason.trim() : "";
  if (reason.length < 5)
    throw new ValidationFailed([{ path: "/reason", code: "too_short", params: { limit: 5 } }]);
  if (reason.length > 300)
    throw new ValidationFailed([{ path: "/reason", code: "too_long", params: { limit: 300 } }]);
  if (!m.cnic_enc) throw new ValidationFailed([{ path: "/reason", code: "nothing_to_reveal" }]);
  const digits = decryptField(ctx.keys, m.cnic_enc);
  await recordAudit(
    db,
    ctx.actor,
    {
      action: "member.cnic_revealed",
      entity: "member",
      entityId: id,
      centreId: m.centre_id,
      details: { reason },
    },
    ctx.clock,
  );
  return formatCnic(digits);
}

/** Personal details go; what the statistics need (district, education, category) stays. */
const ERASED: Partial<MemberTable> = {
  status: "erased",
  full_name_ur: null,
  full_name_en: null,
  cnic_enc: null,
  cnic_hash: null,
  cnic_sealed: null,
  cnic_masked: null,
  phone_e164: null,
  date_of_birth: null,
  gender: null,
  disability: null,
  photo_path: null,
  pin_hash: null,
  pin_locked_until: null,
};

async function erase(db: Executor, m: MemberTable, clock: Clock): Promise<void> {
  const now = clock.now().toISOString();
  await updateMemberRow(db, m.id, { ...ERASED, erased_at: now, updated_at: now });
  await revokeLiveCards(db, m.id, now, "erased");
  // The photo row becomes a tombstone with its bytes cleared.
  await tombstonePhotos(db, m.id, now);
}

export async function eraseMember(
  db: Executor,
  id: string,
  raw: Record<string, unknown>,
  ctx: MemberCtx,
): Promise<void> {
  assertRole(ctx.actor, MANAGERS);
  const m = await loadMemberFor(db, id, ctx.actor);
  if (raw.confirm !== m.member_no) {
    throw new ValidationFailed([
      { path: "/confirm", code: "type_member_no", params: { number: m.member_no } },
    ]);
  }
  await erase(db, m, ctx.clock);
  await recordAudit(
    db,
    ctx.actor,
    {
      action: "member.erased",
      entity: "member",
      entityId: id,
      centreId: m.centre_id,
      details: { member_no: m.member_no },
    },
    ctx.clock,
  );
}

export const DEFAULT_RETENTION_MONTHS = 36;
const retentionKey = (centreId: string) => `members.retention_months:${centreId}`;

export async function retentionMonths(db: Executor, centreId: string): Promise<number> {
  const v = Number(await getSetting(db, retentionKey(centreId)));
  return Number.isInteger(v) && v > 0 ? v : DEFAULT_RETENTION_MONTHS;
}

export async function setRetentionMonths(
  db: Executor,
  centreId: string,
  raw: Record<string, unknown>,
  ctx: Omit<MemberCtx, "keys">,
): Promise<number> {
  assertRole(ctx.actor, MANAGERS);
  assertCentreAccess(ctx.actor, centreId);
  const months = Number(raw.retention_months);
  if (!Number.isInteger(months) || months < 6 || months > 120) {
    throw new ValidationFailed([
      { path: "/retention_months", code: "out_of_range", params: { min: 6, max: 120 } },
    ]);
  }
  await putSetting(db, retentionKey(centreId), String(months), ctx.clock.now().toISOString());
  await recordAudit(
    db,
    ctx.actor,
    { action: "member.retention_set", entity: "centre", entityId: centreId, centreId, details: { months } },
    ctx.clock,
  );
  return months;
}

/** Erases members a centre has not seen for its retention period; the server runs it daily. */
export async function eraseLapsedMembers(db: Executor, centreId: string, clock: Clock): Promise<number> {
  const months = await retentionMonths(db, centreId);
  const cutoff = new Date(clock.now());
  cutoff.setUTCMonth(cutoff.getUTCMonth() - months);
  const lapsed = await listLapsedMembers(db, centreId, cutoff.toISOString(), 500);
  for (const m of lapsed) {
    await erase(db, m, clock);
    await recordAudit(
      db,
      { kind: "system", name: "rasai" },
      { action: "member.erased_lapsed", entity: "member", entityId: m.id, centreId, details: { months } },
      clock,
    );
  }
  return lapsed.length;
}
