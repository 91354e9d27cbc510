import type { StaffRole } from "../db/schema.ts";

/** Who is doing something: a signed-in staff member, the CLI, or the system itself. */
export type Actor =
  | { kind: "staff"; id: string; name: string; role: StaffRole; centreId: string | null; ip: string | null }
  | { kind: "member"; id: string; name: string; centreId: string; ip: string | null }
  | { kind: "cli"; name: string }
  | { kind: "system"; name: string }
  | { kind: "anonymous"; ip: string | null };

export function cliActor(): Actor {
  return { kind: "cli", name: process.env.USER || process.env.LOGNAME || "cli" };
}

export const systemActor: Actor = { kind: "system", name: "rasai" };
