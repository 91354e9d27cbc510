// What the front desk's grid shows for each PC, built from the database on every change.

import type { Executor } from "../db/connect.ts";
import { findMemberById } from "../members/queries.ts";
import { listPcs, runningSessions } from "./queries.ts";
import { firstReservedSlot } from "./reservationQueries.ts";

export interface PcGridRow {
  id: string;
  name: string;
  room: "lounge" | "lab";
  state: "free" | "in_use" | "reserved" | "out_of_order";
  /** Member initials, or "guest"; never a full name on a screen others can see. */
  who: string | null;
  session_id: string | null;
  ends_at: string | null;
  agent_seen_at: string | null;
}

export function initials(name: string | null): string {
  if (!name) return "";
  return name
    .trim()
    .split(/\s+/)
    .map((w) => [...w][0] ?? "")
    .join("")
    .slice(0, 3)
    .toUpperCase();
}

export async function pcGrid(db: Executor, centreId: string, now: Date): Promise<PcGridRow[]> {
  const pcs = await listPcs(db, centreId);
  const sessions = new Map((await runningSessions(db, centreId)).map((s) => [s.pc_id, s]));
  const soon = new Date(now.getTime() + 15 * 60000).toISOString();
  const rows: PcGridRow[] = [];
  for (const pc of pcs) {
    const s = sessions.get(pc.id);
    let who: string | null = null;
    if (s?.member_id) {
      const m = await findMemberById(db, s.member_id);
      who = initials(m?.full_name_en || m?.full_name_ur || null) || "?";
    } else if (s) who = "guest";
    const reserved = !s && (await firstReservedSlot(db, pc.id, now.toISOString(), soon));
    rows.push({
      id: pc.id,
      name: pc.name,
      room: pc.room,
      state: pc.out_of_order ? "out_of_order" : s ? "in_use" : reserved ? "reserved" : "free",
      who,
      session_id: s?.id ?? null,
      ends_at: s?.ends_at ?? null,
      agent_seen_at: pc.agent_seen_at,
    });
  }
  return rows;
}
