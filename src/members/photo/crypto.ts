/**
 * Members' photos encrypted at rest under the centre's data key (AES-256-GCM), the key that
 * protects `cnic_enc`: a database backup or a copy of the SQLite file alone shows no faces. The
 * stored value is IV (12 bytes) + ciphertext + tag (16 bytes), with the key id in its own
 * column. The key id, the member and the photo row are authenticated, so a photo cannot be moved
 * to another member or relabelled as under another key.
 *
 * Data keys never leave their centre (docs/member-keys.md): a photo synced elsewhere travels as
 * ciphertext that only its home centre can show.
 */
import crypto from "node:crypto";
import type { Db } from "../../db/connect.ts";
import { MissingDataKey, type MemberKeys } from "../keys.ts";
import { photosNotUnderKey, replacePhotoCiphertext } from "../queries.ts";

const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface PhotoRef {
  memberId: string;
  photoId: string;
}

export interface SealedPhoto {
  key_id: string;
  bytes: Buffer;
}

function aad(keyId: string, ref: PhotoRef): Buffer {
  return Buffer.from(`rasai member photo v1|${keyId}|${ref.memberId}|${ref.photoId}`, "utf8");
}

function keyFor(keys: MemberKeys, id: string): Buffer {
  const key = keys.dataKeys.get(id);
  if (!key) throw new MissingDataKey(id);
  return key;
}

/** Encrypts a photo under the current data key. */
export function encryptPhoto(keys: MemberKeys, jpeg: Buffer, ref: PhotoRef): SealedPhoto {
  const id = keys.currentDataKeyId;
  const iv = crypto.randomBytes(IV_BYTES);
  const cipher = crypto.createCipheriv("aes-256-gcm", keyFor(keys, id), iv);
  cipher.setAAD(aad(id, ref));
  const body = Buffer.concat([cipher.update(jpeg), cipher.final()]);
  return { key_id: id, bytes: Buffer.concat([iv, body, cipher.getAuthTag()]) };
}

export function decryptPhoto(keys: MemberKeys, sealed: SealedPhoto, ref: PhotoRef): Buffer {
  const key = keyFor(keys, sealed.key_id);
  const { bytes } = sealed;
  if (bytes.length < IV_BYTES + TAG_BYTES) {
    throw new Error(`A member photo under key ${sealed.key_id} is damaged.`);
  }
  try {
    const decipher = crypto.createDecipheriv("aes-256-gcm", key, bytes.subarray(0, IV_BYTES));
    decipher.setAAD(aad(sealed.key_id, ref));
    decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
    return Buffer.concat([
      decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)),
      decipher.final(),
    ]);
  } catch {
    throw new Error(
      `A member photo under key ${sealed.key_id} failed its integrity check (altered or damaged).`,
    );
  }
}

/**
 * Re-encrypts every stored photo not under the current data key (part of `rasai keys rotate` and
 * `reencrypt`). Like the CNICs, each batch commits on its own, a photo replaced meanwhile is left
 * alone, and updated_at stays: the photo did not change.
 */
export async function reencryptPhotos(db: Db, keys: MemberKeys, batchSize = 100): Promise<number> {
  const current = keys.currentDataKeyId;
  let after: string | null = null;
  let reencrypted = 0;
  for (;;) {
    const batch = await photosNotUnderKey(db, current, after, batchSize);
    if (batch.length === 0) break;
    // Decrypt before the transaction: a missing key stops the run before anything is written.
    const updates = batch.map((r) => {
      const ref = { memberId: r.member_id, photoId: r.id };
      const sealed = { key_id: r.key_id!, bytes: r.bytes! };
      return { id: r.id, old: r.key_id!, next: encryptPhoto(keys, decryptPhoto(keys, sealed, ref), ref) };
    });
    await db.transaction().execute(async (trx) => {
      for (const u of updates) reencrypted += await replacePhotoCiphertext(trx, u.id, u.old, u.next);
    });
    after = batch.at(-1)!.id;
  }
  return reencrypted;
}
