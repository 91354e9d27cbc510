// Member cards: each print gets the next serial, and the codes on older cards stop working.

import { recordAudit } from "../audit/recordAudit.ts";
import type { Executor } from "../db/connect.ts";
import { newId } from "../db/ids.ts";
import type { MemberTable } from "../db/schema.ts";
import { assertRole, DESK } from "../identity/policy.ts";
import { Conflict, ValidationFailed } from "../server/errors.ts";
import { verifyMemberRef } from "./card/reference.ts";
import { findMemberByNumber, insertCard, revokeLiveCards, updateMemberRow } from "./queries.ts";
import { loadMemberFor, type MemberCtx } from "./register.ts";

export const CARD_REASONS = ["first", "reprint", "lost"] as const;
export type CardReason = (typeof CARD_REASONS)[number];

export async function issueCard(
  db: Executor,
  id: string,
  reason: string,
  ctx: Omit<MemberCtx, "keys">,
): Promise<MemberTable> {
  assertRole(ctx.actor, DESK);
  if (!(CARD_REASONS as readonly string[]).includes(reason)) {
    throw new ValidationFailed([{ path: "/reason", code: "invalid_choice" }]);
  }
  const m = await loadMemberFor(db, id, ctx.actor);
  if (m.status !== "active") throw new Conflict("member_not_active");
  const now = ctx.clock.now().toISOString();
  const serial = m.card_serial + 1;
  await revokeLiveCards(db, m.id, now, reason === "lost" ? "lost" : "replaced");
  await insertCard(db, {
    id: newId(),
    centre_id: m.centre_id,
    member_id: m.id,
    serial,
    issued_at: now,
    revoked_at: null,
    revoked_reason: null,
    created_at: now,
    updated_at: now,
    deleted_at: null,
  });
  await updateMemberRow(db, m.id, { card_serial: serial, updated_at: now });
  await recordAudit(
    db,
    ctx.actor,
    {
      action: "member.card_issued",
      entity: "member",
      entityId: m.id,
      centreId: m.centre_id,
      details: { serial, reason },
    },
    ctx.clock,
  );
  return { ...m, card_serial: serial };
}

/** The member a scanned card belongs to, if the card is the member's current one. */
export async function memberByCard(
  db: Executor,
  secret: string,
  scanned: string,
): Promise<MemberTable | null> {
  const ref = verifyMemberRef(secret, scanned);
  if (!ref) return null;
  const m = await findMemberByNumber(db, ref.memberNo);
  if (!m || m.status !== "active" || m.card_serial !== ref.serial) return null;
  return m;
}
