// Reservation rows and the day's availability shaped for the reservation pages: translated labels,
// local times, and what the viewer may do. Views get these; they never see rows.

import type { Translate } from "../i18n/index.ts";
import type { Availability } from "./availability.ts";
import { localDate, localTime } from "./centreTime.ts";
import type { ReservationRow } from "./reservationQueries.ts";
import { CLAIM_EARLY_MS } from "./reservationLifecycle.ts";
import { SETTING_KEYS, SLOT_MINUTES, type ReservationSettings } from "./reservationSettings.ts";
import type { GridView } from "./views/DayGrid.tsx";
import type { ReservationItem } from "./views/ReservationList.tsx";
import type { Option } from "./views/Select.tsx";

/** Booking lengths from `min` to `max` minutes, slot by slot. */
export function durationOptions(t: Translate, min: number, max: number): Option[] {
  const out: Option[] = [];
  for (let m = min; m <= max; m += SLOT_MINUTES)
    out.push({ value: String(m), label: t("reserve.minutes_n", { n: m }) });
  return out;
}

/** The local day `n` days after `day` (both YYYY-MM-DD). */
export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

export interface GridOpts {
  /** The desk sees who booked; a member only sees "booked" (or "yours"). */
  viewer: { kind: "desk" } | { kind: "member"; memberId: string };
  linkBase: string;
  now: Date;
}

/** PCs × slots of a day: free cells (linked to the booking form while in the future) and taken ones. */
export function gridView(a: Availability, t: Translate, opts: GridOpts): GridView {
  const pcs = a.pcs;
  return {
    pcs: pcs.map((p) => ({
      id: p.id,
      name: p.name,
      note: p.out_of_order ? t("reserve.out_of_order") : p.room === "lab" ? t("reserve.room_lab") : "",
    })),
    rows: a.slots.map((slot) => {
      const time = localTime(slot, a.timeZone);
      return {
        time,
        cells: pcs.map((p) => {
          if (p.out_of_order) return { kind: "unavailable" as const };
          const taken = a.taken.get(`${p.id}|${slot}`);
          if (taken) {
            let label: string;
            if (taken.kind === "class") label = taken.title;
            else if (opts.viewer.kind === "desk") label = taken.member_no ?? t("reserve.taken");
            else label = taken.member_id === opts.viewer.memberId ? t("reserve.yours") : t("reserve.taken");
            return { kind: "taken" as const, label, klass: taken.kind === "class" };
          }
          const future = Date.parse(slot) >= opts.now.getTime();
          const q = new URLSearchParams({ day: a.day, pc: p.id, start: time }).toString();
          return { kind: "free" as const, href: future ? `${opts.linkBase}?${q}#book` : null };
        }),
      };
    }),
  };
}

/** One booking in a list; a member may cancel before the start, the desk while it holds its PC. */
export function reservationItem(
  r: ReservationRow,
  t: Translate,
  timeZone: string,
  now: Date,
  forMember: boolean,
): ReservationItem {
  const live = (r.status === "booked" || r.status === "claimed") && Date.parse(r.ends_at) > now.getTime();
  return {
    id: r.id,
    pc: r.pc_name,
    date: localDate(r.starts_at, timeZone),
    time: `${localTime(r.starts_at, timeZone)}–${localTime(r.ends_at, timeZone)}`,
    who: r.kind === "class" ? r.title : (r.member_no ?? "—"),
    status: t(`reserve.status_${r.status}`),
    canCancel: forMember ? r.status === "booked" && Date.parse(r.starts_at) > now.getTime() : live,
    canClaim:
      !forMember &&
      r.kind === "member" &&
      r.status === "booked" &&
      now.getTime() >= Date.parse(r.starts_at) - CLAIM_EARLY_MS &&
      now.getTime() < Date.parse(r.ends_at),
  };
}

/** The manager's settings form, one row per setting with its label and hint. */
export function settingRows(t: Translate, s: ReservationSettings) {
  return SETTING_KEYS.map((key) => ({
    key,
    label: t(`reserve.setting_${key}`),
    hint: t(`reserve.setting_${key}_hint`),
    value: String(s[key]),
  }));
}
