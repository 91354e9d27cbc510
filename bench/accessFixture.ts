// The access bench's centre, made in the database before the server starts: a centre open all day,
// a desk staff user with sessions, the PCs with their agent tokens, members, and half the PCs in use.
import crypto from "node:crypto";
import { agentToken, addPc } from "../src/access/pcs.ts";
import {
  DEFAULT_RESERVATION_SETTINGS,
  saveReservationSettings,
  SETTING_LIMITS,
} from "../src/access/reservationSettings.ts";
import { startMemberSession } from "../src/access/sessions.ts";
import { cliActor } from "../src/audit/actor.ts";
import { setCurrentCentre } from "../src/centres/currentCentre.ts";
import { createCentre } from "../src/centres/saveCentre.ts";
import type { OpeningHours } from "../src/centres/schemas.ts";
import { systemClock } from "../src/db/clock.ts";
import type { Db } from "../src/db/connect.ts";
import { migrateToLatest } from "../src/db/migrate.ts";
import type { MemberTable } from "../src/db/schema.ts";
import { createStaffUser } from "../src/identity/createStaffUser.ts";
import { openSession, SESSION_COOKIES, sessionCsrfToken } from "../src/identity/sessions.ts";
import { ensureCategories } from "../src/members/categories.ts";
import { loadMemberKeys } from "../src/members/keys.ts";
import { registerMember } from "../src/members/register.ts";

/** A fixed server secret, so the bench can derive each PC's agent token as the server does. */
const BENCH_SECRET = "rasai-bench-access-secret-0123456789abcdef";
/** What the server is started with on top of startServer's own settings (the secret above, no demo data). */
export const SERVER_ENV = { RASAI_SECRET: BENCH_SECRET, RASAI_DEMO: "off" };
/** Desk screens on the grid; prepare opens a staff session for each, and one more for the driver. */
export const DESK_SCREENS = 3;
export const MEMBERS = 300;

/** Every day 00:00–23:59; a day left out would be closed. */
const ALWAYS_OPEN: OpeningHours = Object.fromEntries(
  (["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const).map((d) => [
    d,
    [{ opens: "00:00", closes: "23:59" }],
  ]),
);

/**
 * A time zone where it is now between 01:00 and 21:59, so the centre (open until 23:59) stays open
 * for the whole run and sessions are not cut short by closing time.
 */
function benchTimeZone(now: Date): string {
  for (const tz of ["Asia/Karachi", "UTC", "America/New_York"]) {
    const hour = Number(
      new Intl.DateTimeFormat("en-GB", { timeZone: tz, hour: "2-digit", hourCycle: "h23" }).format(now),
    );
    if (hour >= 1 && hour <= 21) return tz;
  }
  return "UTC";
}

export interface Fixture {
  centreId: string;
  timeZone: string;
  staff: { id: string; username: string };
  /** One staff session per desk screen, and one for the driver. */
  sessions: { cookie: string; csrf: string }[];
  pcs: { id: string; name: string; token: string }[];
  members: { id: string; number: string }[];
  /** Sessions started while preparing: PC id → index in `members`. */
  running: Map<string, number>;
  prepareMs: number;
}

export async function prepare(db: Db, dataDir: string, pcCount: number): Promise<Fixture> {
  const started = performance.now();
  const clock = systemClock;
  const ctx = { actor: cliActor(), clock };
  await migrateToLatest(db);
  const timeZone = benchTimeZone(clock.now());
  const keys = loadMemberKeys(dataDir, {});
  const fixture = await db.transaction().execute(async (trx) => {
    const centre = await createCentre(
      trx,
      {
        code: "BEN-01",
        name_ur: "بینچ مرکز",
        name_en: "Bench Centre",
        district: "Islamabad",
        province: "ict",
        address: "Loopback",
        time_zone: timeZone,
        opening_hours: ALWAYS_OPEN,
        exceptions: [],
      },
      ctx,
    );
    await setCurrentCentre(trx, centre.id, clock.now().toISOString());
    const staff = await createStaffUser(
      trx,
      {
        username: "bench-desk",
        displayName: "Bench desk",
        role: "staff",
        centreId: centre.id,
        password: crypto.randomBytes(18).toString("base64url"),
        locale: "en",
      },
      ctx,
    );
    const pcs: Fixture["pcs"] = [];
    for (let i = 1; i <= pcCount; i++) {
      const pc = await addPc(
        trx,
        centre.id,
        { name: `PC-${String(i).padStart(3, "0")}`, room: "lounge" },
        ctx,
      );
      pcs.push({ id: pc.id, name: pc.name, token: agentToken(BENCH_SECRET, pc) });
    }
    const general = (await ensureCategories(trx, centre.id, clock)).find((c) => c.code === "general")!;
    const members: Fixture["members"] = [];
    const rows: MemberTable[] = [];
    for (let i = 1; i <= MEMBERS; i++) {
      const m = await registerMember(
        trx,
        centre.id,
        {
          full_name_en: `Bench Member ${i}`,
          cnic: `61101-${String(10_000_000 + i).slice(1)}-${i % 10}`,
          phone: `0300${String(10_000_000 + i).slice(1)}`,
          date_of_birth: "1990-05-15",
          gender: i % 2 ? "female" : "male",
          district: "Islamabad",
          education: "matric",
          category_id: general.id,
          consent: "yes",
          confirm_not_duplicate: "yes",
        },
        { ...ctx, keys },
      );
      members.push({ id: m.id, number: m.member_no });
      rows.push(m);
    }
    // A busy afternoon: half the PCs already in use, so the desk both starts and ends sessions.
    const running = new Map<string, number>();
    for (let k = 0; k < Math.floor(pcCount / 2); k++) {
      const pc = pcs[pcCount - 1 - k]!;
      await startMemberSession(trx, pc.id, rows[k]!, ctx);
      running.set(pc.id, k);
    }
    // Members may hold more bookings than the default 3, so the contention below meets only the
    // (PC, slot) rule, not a member's limit (a member tries a few targets per round).
    await saveReservationSettings(
      trx,
      centre.id,
      { ...DEFAULT_RESERVATION_SETTINGS, max_future: SETTING_LIMITS.max_future.max },
      ctx,
    );
    return { centreId: centre.id, staff: { id: staff.id, username: staff.username }, pcs, members, running };
  });
  const sessions: Fixture["sessions"] = [];
  for (let i = 0; i <= DESK_SCREENS; i++) {
    const { token, session } = await openSession(
      db,
      { kind: "staff", subjectId: fixture.staff.id, ip: "127.0.0.1", userAgent: "rasai-bench" },
      clock,
    );
    sessions.push({ cookie: `${SESSION_COOKIES.staff}=${token}`, csrf: sessionCsrfToken(session) });
  }
  return { ...fixture, timeZone, sessions, prepareMs: Math.round(performance.now() - started) };
}
