// Shared set-up for the reservation and queue tests: PCs, members, actors, member sessions and
// the app on a chosen clock.

import type { Actor } from "../../src/audit/actor.ts";
import type { Clock } from "../../src/db/clock.ts";
import type { Db } from "../../src/db/connect.ts";
import { newId } from "../../src/db/ids.ts";
import type { MemberTable, PcRoom, PcTable, StaffRole } from "../../src/db/schema.ts";
import { openSession } from "../../src/identity/sessions.ts";
import { ensureCategories } from "../../src/members/categories.ts";
import { buildApp, type App } from "../../src/server/app.ts";
import { TEST_SECRET, testConfig } from "../helpers/app.ts";
import type { TestDatabase } from "../helpers/db.ts";

const T0 = "2026-11-25T06:00:00.000Z";
let counter = 0;

export async function addPc(
  db: Db,
  centreId: string,
  name: string,
  room: PcRoom = "lounge",
  extra: Partial<PcTable> = {},
): Promise<PcTable> {
  const row: PcTable = {
    id: newId(),
    centre_id: centreId,
    name,
    room,
    out_of_order: 0,
    min_age: null,
    notes: "",
    agent_token_hash: null,
    agent_seen_at: null,
    created_at: T0,
    updated_at: T0,
    deleted_at: null,
    ...extra,
  };
  await db.insertInto("pcs").values(row).execute();
  return row;
}

/** An active member of the centre (general category, born 1995, female unless told). */
export async function addMember(
  db: Db,
  centreId: string,
  clock: Clock,
  extra: Partial<MemberTable> = {},
): Promise<MemberTable> {
  counter++;
  const cats = await ensureCategories(db, centreId, clock);
  const row: MemberTable = {
    id: newId(),
    centre_id: centreId,
    member_no: `RM-${process.pid % 10000}-${counter}`,
    status: "active",
    full_name_ur: null,
    full_name_en: `Member ${counter}`,
    id_kind: "cnic",
    cnic_enc: null,
    cnic_hash: null,
    cnic_sealed: null,
    cnic_masked: null,
    phone_e164: null,
    date_of_birth: "1995-04-12",
    gender: "female",
    district: "Lahore",
    education: null,
    disability: null,
    category_id: cats.find((c) => c.code === "general")!.id,
    photo_path: null,
    consent_version: "1",
    consent_at: T0,
    confirmed_at: T0,
    confirmed_by: null,
    pin_hash: null,
    pin_failures: 0,
    pin_locked_until: null,
    card_serial: 0,
    last_seen_at: null,
    erased_at: null,
    created_at: T0,
    updated_at: T0,
    deleted_at: null,
    ...extra,
  };
  await db.insertInto("members").values(row).execute();
  return row;
}

export function staffActor(role: StaffRole, centreId: string | null): Actor {
  return { kind: "staff", id: newId(), name: role, role, centreId, ip: null };
}

export function memberActor(m: MemberTable): Actor {
  return { kind: "member", id: m.id, name: m.member_no, centreId: m.centre_id, ip: null };
}

export const anonymous: Actor = { kind: "anonymous", ip: "10.0.0.1" };

/** A member's session cookie, as the member sign-in would set it. */
export async function memberCookie(db: Db, memberId: string, clock: Clock): Promise<string> {
  const { token } = await openSession(
    db,
    { kind: "member", subjectId: memberId, ip: "10.0.0.9", userAgent: "test" },
    clock,
  );
  return `rasai_member=${token}`;
}

/** The whole app (with the reservation and queue routes) on this clock. */
export async function appWithAccess(tdb: TestDatabase, clock: Clock): Promise<App> {
  const app = await buildApp(
    { config: testConfig(tdb), db: tdb.db, clock, secret: TEST_SECRET },
    { logger: false },
  );
  await app.ready();
  return app;
}

/** Live slot rows, optionally for one reservation. */
export async function liveSlotCount(
  db: Db,
  where: { reservationId?: string; pcId?: string } = {},
): Promise<number> {
  let q = db
    .selectFrom("reservation_slots")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("deleted_at", "is", null);
  if (where.reservationId) q = q.where("reservation_id", "=", where.reservationId);
  if (where.pcId) q = q.where("pc_id", "=", where.pcId);
  return Number((await q.executeTakeFirstOrThrow()).n);
}
