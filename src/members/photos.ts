// A member's optional photo: taken or uploaded at the desk, replaced, removed; shown to the desk
// of the member's centre (headquarters too) and to the member, on the card and in their export.

import { recordAudit } from "../audit/recordAudit.ts";
import type { Actor } from "../audit/actor.ts";
import type { Executor } from "../db/connect.ts";
import { newId } from "../db/ids.ts";
import type { MemberTable } from "../db/schema.ts";
import { assertRole, DESK } from "../identity/policy.ts";
import { Forbidden, NotFound, ValidationFailed } from "../server/errors.ts";
import { decryptPhoto, encryptPhoto } from "./photo/crypto.ts";
import { ImageRejected, processMemberPhoto } from "./photo/process.ts";
import { findLivePhoto, findMemberById, insertPhoto, tombstonePhotos, updateMemberRow } from "./queries.ts";
import { loadMemberFor, type MemberCtx } from "./register.ts";

export const PHOTO_CONTENT_TYPE = "image/jpeg";

/** An upload made into the member's photo, ready to store. */
export interface PreparedPhoto {
  jpeg: Buffer;
  width: number;
  height: number;
}

/**
 * Checks and converts an upload (see photo/process.ts). It touches no database, so callers run it
 * before opening their transaction: a transaction is never held open while an image decodes.
 */
export async function preparePhoto(upload: Buffer | null | undefined): Promise<PreparedPhoto> {
  if (!upload || upload.length === 0) throw new ValidationFailed([{ path: "/photo", code: "required" }]);
  try {
    return await processMemberPhoto(upload);
  } catch (error) {
    if (error instanceof ImageRejected) {
      throw new ValidationFailed([{ path: "/photo", code: `photo_${error.code}` }]);
    }
    throw error;
  }
}

/** Sets (or replaces) the member's photo; the replaced one is tombstoned and its bytes cleared. */
export async function setMemberPhoto(
  db: Executor,
  memberId: string,
  photo: PreparedPhoto,
  ctx: MemberCtx,
): Promise<MemberTable> {
  assertRole(ctx.actor, DESK);
  const m = await loadMemberFor(db, memberId, ctx.actor);
  const now = ctx.clock.now().toISOString();
  const id = newId();
  // The member row is written first: on PostgreSQL its row lock makes two uploads for the same
  // member take turns, so the second one tombstones the first one's photo instead of clashing.
  await updateMemberRow(db, m.id, { photo_path: id, updated_at: now });
  const replaced = (await tombstonePhotos(db, m.id, now)) > 0;
  await insertPhoto(db, {
    id,
    centre_id: m.centre_id,
    member_id: m.id,
    content_type: PHOTO_CONTENT_TYPE,
    width: photo.width,
    height: photo.height,
    byte_size: photo.jpeg.length,
    ...encryptPhoto(ctx.keys, photo.jpeg, { memberId: m.id, photoId: id }),
    created_at: now,
    updated_at: now,
    deleted_at: null,
  });
  await recordAudit(
    db,
    ctx.actor,
    {
      action: replaced ? "member.photo_replaced" : "member.photo_added",
      entity: "member",
      entityId: m.id,
      centreId: m.centre_id,
      details: { photo_id: id, width: photo.width, height: photo.height, bytes: photo.jpeg.length },
    },
    ctx.clock,
  );
  return { ...m, photo_path: id, updated_at: now };
}

/** Removes the member's photo. Returns false (and records nothing) when there was none. */
export async function removeMemberPhoto(db: Executor, memberId: string, ctx: MemberCtx): Promise<boolean> {
  assertRole(ctx.actor, DESK);
  const m = await loadMemberFor(db, memberId, ctx.actor);
  const now = ctx.clock.now().toISOString();
  const removed = await tombstonePhotos(db, m.id, now);
  if (removed === 0 && m.photo_path === null) return false;
  await updateMemberRow(db, m.id, { photo_path: null, updated_at: now });
  await recordAudit(
    db,
    ctx.actor,
    {
      action: "member.photo_removed",
      entity: "member",
      entityId: m.id,
      centreId: m.centre_id,
      details: { photo_id: m.photo_path },
    },
    ctx.clock,
  );
  return true;
}

export interface MemberPhoto {
  jpeg: Buffer;
  contentType: string;
  width: number;
  height: number;
  updatedAt: string;
}

/** The member's photo, decrypted, or null when they have none. No access check: callers do it. */
export async function readPhoto(
  db: Executor,
  m: Pick<MemberTable, "id">,
  keys: MemberCtx["keys"],
): Promise<MemberPhoto | null> {
  const row = await findLivePhoto(db, m.id);
  if (!row || !row.bytes || !row.key_id) return null;
  return {
    jpeg: decryptPhoto(keys, { key_id: row.key_id, bytes: row.bytes }, { memberId: m.id, photoId: row.id }),
    contentType: row.content_type,
    width: row.width,
    height: row.height,
    updatedAt: row.updated_at,
  };
}

/**
 * The photo for whoever asks: the desk of the member's centre (and headquarters), or the member
 * themself. Anyone else is refused, including other members and other centres' staff.
 */
export async function memberPhotoFor(
  db: Executor,
  memberId: string,
  ctx: { actor: Actor; keys: MemberCtx["keys"] },
): Promise<MemberPhoto | null> {
  let m: MemberTable;
  if (ctx.actor.kind === "member") {
    if (ctx.actor.id !== memberId) throw new Forbidden();
    const found = await findMemberById(db, memberId);
    if (!found || found.status === "erased") throw new NotFound("member");
    m = found;
  } else {
    assertRole(ctx.actor, DESK);
    m = await loadMemberFor(db, memberId, ctx.actor);
  }
  return readPhoto(db, m, ctx.keys);
}

/** A `data:` URL for pages that embed the photo (the card page, so it prints with the card). */
export function photoDataUrl(photo: Pick<MemberPhoto, "jpeg" | "contentType">): string {
  return `data:${photo.contentType};base64,${photo.jpeg.toString("base64")}`;
}
