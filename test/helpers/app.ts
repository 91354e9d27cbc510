import type { LightMyRequestResponse } from "fastify";
import { loadConfig, type Config } from "../../src/config.ts";
import { manualClock, type Clock } from "../../src/db/clock.ts";
import { buildApp, type App } from "../../src/server/app.ts";
import { createCentre } from "../../src/centres/saveCentre.ts";
import { createStaffUser } from "../../src/identity/createStaffUser.ts";
import type { StaffRole } from "../../src/db/schema.ts";
import { cliActor } from "../../src/audit/actor.ts";
import { setCurrentCentre } from "../../src/centres/currentCentre.ts";
import type { TestDatabase } from "./db.ts";

export const TEST_SECRET = "test-secret-0123456789-0123456789-abcdef";
export const PASSWORD = "correct horse battery";

export function testConfig(tdb: TestDatabase, overrides: Partial<Config> = {}): Config {
  return {
    ...loadConfig({ RASAI_DATA_DIR: tdb.dataDir }),
    database: tdb.config,
    logLevel: "silent",
    ...overrides,
  };
}

export async function testApp(
  tdb: TestDatabase,
  options: { config?: Partial<Config>; clock?: Clock } = {},
): Promise<App> {
  const config = testConfig(tdb, options.config);
  const app = await buildApp(
    { config, db: tdb.db, clock: options.clock ?? manualClock("2026-11-25T06:00:00Z"), secret: TEST_SECRET },
    { logger: false },
  );
  await app.ready();
  return app;
}

let counter = 0;
/** A centre with a unique code, made through the real use case. */
export async function makeCentre(
  tdb: TestDatabase,
  overrides: Record<string, unknown> = {},
  current = false,
) {
  counter++;
  const code = `T-${process.pid % 1000}-${counter}`;
  const centre = await createCentre(
    tdb.db,
    {
      code,
      name_ur: `سنٹر ${counter}`,
      name_en: `Centre ${counter}`,
      district: "Lahore",
      province: "punjab",
      address: "Main Boulevard",
      time_zone: "Asia/Karachi",
      ...overrides,
    },
    { actor: cliActor(), clock: manualClock("2026-11-25T06:00:00Z") },
  );
  if (current) await setCurrentCentre(tdb.db, centre.id, "2026-11-25T06:00:00.000Z");
  return centre;
}

export async function makeStaff(
  tdb: TestDatabase,
  role: StaffRole,
  centreId: string | null,
  username?: string,
) {
  counter++;
  return createStaffUser(
    tdb.db,
    {
      username: username ?? `${role.replace("_", "")}${counter}`,
      displayName: `${role} ${counter}`,
      role,
      centreId: role === "hq_admin" ? null : centreId,
      password: PASSWORD,
      locale: "en",
    },
    { actor: cliActor(), clock: manualClock("2026-11-25T06:00:00Z") },
  );
}

export function cookiesOf(res: LightMyRequestResponse): Record<string, string> {
  const out: Record<string, string> = {};
  for (const c of res.cookies as { name: string; value: string }[]) out[c.name] = c.value;
  return out;
}

/** Pulls the hidden CSRF token out of a rendered form. */
export function csrfFrom(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!m) throw new Error("no CSRF token in page");
  return m[1]!;
}

export function form(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}

export const FORM = { "content-type": "application/x-www-form-urlencoded" };

let addressCounter = 0;
/** A fresh client address, so per-address login rate limits do not spill between tests. */
export function nextAddress(): string {
  addressCounter++;
  return `10.${(addressCounter >> 16) & 255}.${(addressCounter >> 8) & 255}.${addressCounter & 255}`;
}

/** Signs a staff member in through the real login form; returns the session cookie. */
export async function signIn(
  app: App,
  username: string,
  password = PASSWORD,
): Promise<{ cookie: string; csrf: string }> {
  const page = await app.inject({ method: "GET", url: "/staff/login" });
  const res = await app.inject({
    method: "POST",
    url: "/staff/login",
    remoteAddress: nextAddress(),
    headers: FORM,
    payload: form({ _csrf: csrfFrom(page.body), username, password, next: "/staff" }),
  });
  if (res.statusCode !== 303) throw new Error(`login failed: ${res.statusCode} ${res.body.slice(0, 200)}`);
  const cookie = `rasai_staff=${cookiesOf(res).rasai_staff}`;
  const dash = await app.inject({ method: "GET", url: "/staff", headers: { cookie } });
  return { cookie, csrf: csrfFrom(dash.body) };
}
