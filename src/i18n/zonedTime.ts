const formats = new Map<string, Intl.DateTimeFormat>();

/** Offset of a time zone from UTC at an instant, in minutes (Karachi: +300). */
export function zoneOffsetMinutes(instant: Date, timeZone: string): number {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-GB", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formats.set(timeZone, format);
  }
  const parts = Object.fromEntries(
    format.formatToParts(instant).map((p) => [p.type, Number(p.value)]),
  ) as Record<string, number>;
  const asUtc = Date.UTC(
    parts.year!,
    parts.month! - 1,
    parts.day!,
    parts.hour!,
    parts.minute!,
    parts.second!,
  );
  return Math.round((asUtc - instant.getTime()) / 60000);
}

/** "2026-12-01T09:00" read as a wall-clock time in the zone, as a UTC instant; null when malformed. */
export function zonedLocalToUtc(local: string, timeZone: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(local.trim());
  if (!m) return null;
  const wall = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +(m[6] ?? 0));
  let guess = wall - zoneOffsetMinutes(new Date(wall), timeZone) * 60000;
  guess = wall - zoneOffsetMinutes(new Date(guess), timeZone) * 60000;
  const d = new Date(guess);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** The instant as "YYYY-MM-DDTHH:MM" wall-clock time in the zone, for datetime-local inputs. */
export function utcToZonedLocal(iso: string, timeZone: string): string {
  const d = new Date(iso);
  const shifted = new Date(d.getTime() + zoneOffsetMinutes(d, timeZone) * 60000);
  return shifted.toISOString().slice(0, 16);
}
