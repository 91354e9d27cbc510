// The access bench's report: the table of both databases side by side, then notes on each run.
import type { DatabaseResult } from "./access.ts";
import type { BookingResult } from "./accessBooking.ts";
import type { LoadResult } from "./accessLoad.ts";
import type { Distribution } from "./accessMeasures.ts";
import { formatTable } from "./lib/results.ts";

const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

const show = (n: number | null | undefined, digits = 1) =>
  n === null || n === undefined ? "–" : n.toLocaleString("en-US", { maximumFractionDigits: digits });

export function printReport(results: DatabaseResult[]): void {
  type Row = [string, (r: DatabaseResult) => string];
  const L = (f: (l: LoadResult) => string) => (r: DatabaseResult) => (r.load ? f(r.load) : "–");
  const B = (f: (b: BookingResult) => string) => (r: DatabaseResult) => (r.bookings ? f(r.bookings) : "–");
  const d3 = (d: Distribution) => `${show(d.p50)} / ${show(d.p99)} / ${show(d.max)}`;
  const rows: Row[] = [
    ["kiosks polling every 2 s", L((l) => `${l.kiosks}`)],
    ["kiosk polls/s", L((l) => show(l.kioskPollsPerSecond))],
    ["kiosk poll p50 / p99 / max ms", L((l) => d3(l.kioskPollMs))],
    ["kiosk errors (non-2xx, network)", L((l) => show(l.kioskFailures, 0))],
    ["desk screens on the event stream", L((l) => `${l.deskScreens}`)],
    ["session starts + ends applied", L((l) => `${l.starts} + ${l.ends}`)],
    ["desk POST p50 / p99 / max ms", L((l) => d3(l.deskPostMs))],
    ["change → desk grid p50 / p99 / max ms", L((l) => d3(l.changeToGridMs))],
    [
      "  sightings (changes × screens), missed",
      L((l) => `${l.changeToGridMs.count}, ${l.changeToGridMissed}`),
    ],
    ["change → kiosk poll p50 / p99 / max ms", L((l) => d3(l.changeToKioskMs))],
    [
      "grid fetches, p50 / p99 ms",
      L((l) => `${l.gridFetches}, ${show(l.gridFetchMs.p50)} / ${show(l.gridFetchMs.p99)}`),
    ],
    [
      "grid KB on wire (br) / HTML",
      L((l) => `${show((l.gridBytesOnWire ?? 0) / 1024)} / ${show((l.gridBytesHtml ?? 0) / 1024)}`),
    ],
    ["desk/grid errors", L((l) => show(sum(l.changeErrors.counts) + sum(l.gridErrors.counts), 0))],
    ["server CPU % of one core", L((l) => show(l.serverCpuPercent))],
    ["server RSS end / peak MiB", L((l) => `${show(l.serverRssMiB)} / ${show(l.serverPeakRssMiB)}`)],
    [
      "bench client CPU %, loop delay p99 ms",
      L((l) => `${show(l.benchCpuPercent)}, ${show(l.benchEventLoopDelayP99Ms)}`),
    ],
    ["reservations: requests/s", B((b) => show(b.requestsPerSecond, 0))],
    ["  requests (rounds × 20 × 50)", B((b) => `${b.requests} (${b.rounds})`)],
    [
      "  successes / slot_taken / other / errors",
      B((b) => `${b.successes} / ${b.slotConflicts} / ${sum(b.otherRefusals)} / ${sum(b.errors.counts)}`),
    ],
    ["  booking p50 / p99 ms", B((b) => `${show(b.latencyMs.p50)} / ${show(b.latencyMs.p99)}`)],
    ["  double bookings (SQL check)", B((b) => `${b.check.rows} (${b.check.ok ? "OK" : "FAILED"})`)],
  ];
  console.log(
    formatTable(
      ["", ...results.map((r) => r.label)],
      rows.map(([label, f]) => [label, ...results.map((r) => (r.error && !r.load ? "failed" : f(r)))]),
    ),
  );

  const notes: string[] = [];
  for (const r of results) {
    const parts = [
      r.prepareMs !== undefined ? `prepared in ${r.prepareMs} ms` : null,
      r.startupMs !== undefined ? `server ready in ${r.startupMs} ms` : null,
      r.idleRssMiB != null ? `idle RSS ${show(r.idleRssMiB)} MiB` : null,
      r.timeZone ? `centre time zone ${r.timeZone}` : null,
      r.load
        ? `${r.load.measuredSeconds} s measured, ${r.load.kioskPolls} kiosk polls, ${r.load.streamEvents} stream events, ` +
          `${r.load.runningAtEnd} sessions running at the end; machine load average ${r.load.loadAverage.join(" → ")}`
        : null,
    ].filter(Boolean);
    notes.push(`${r.label}: ${parts.join("; ")}`);
    if (r.load) {
      const l = r.load;
      if (Object.keys(l.kioskErrors.counts).length)
        notes.push(
          `  kiosk errors: ${JSON.stringify(l.kioskErrors.counts)}; e.g. ${JSON.stringify(l.kioskErrors.examples)}`,
        );
      if (l.kioskBadSignatures) notes.push(`  kiosk answers with a bad signature: ${l.kioskBadSignatures}`);
      if (sum(l.changeErrors.counts))
        notes.push(
          `  desk action errors: ${JSON.stringify(l.changeErrors.counts)}; e.g. ${JSON.stringify(l.changeErrors.examples)}`,
        );
      if (Object.keys(l.gridErrors.counts).length)
        notes.push(
          `  grid errors: ${JSON.stringify(l.gridErrors.counts)}; e.g. ${JSON.stringify(l.gridErrors.examples)}`,
        );
    }
    if (r.bookings) {
      const b = r.bookings;
      notes.push(
        `  double-booking check: \`${b.check.sql}\` → ${b.check.rows} rows; ` +
          `${b.targetsWithOneWinner} of ${b.rounds * b.targets} (round, target) pairs had exactly one winner, ` +
          `${b.targetsWithoutWinner} none, ${b.targetsWithSeveralWinners} several; ` +
          `${b.check.liveTargetSlots} live slots on the target PCs after the last round → ${b.check.ok ? "OK" : "FAILED"}`,
      );
      if (Object.keys(b.otherRefusals).length)
        notes.push(`  other refusals: ${JSON.stringify(b.otherRefusals)}`);
      if (b.errors.counts && Object.keys(b.errors.counts).length)
        notes.push(
          `  booking errors: ${JSON.stringify(b.errors.counts)}` +
            (Object.keys(b.errors.counts).some((k) => k.includes("timeout exceeded when trying to connect"))
              ? " — pg.Pool gave up waiting for a connection: src/db/connect.ts opens at most 10 " +
                "connections and waits 5 s (connectionTimeoutMillis) for one, and 1000 bookings were queued at once"
              : ""),
        );
    }
    if (r.error) notes.push(`  FAILED: ${r.error.split("\n").join("\n  ")}`);
  }
  console.log(`\n${notes.join("\n")}`);
}
