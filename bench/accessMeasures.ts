// What the access bench measures with: nearest-rank percentiles, a process's CPU time from /proc,
// and tallies of answers and errors by kind.
import { execFileSync } from "node:child_process";
import fs from "node:fs";

function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export interface Distribution {
  count: number;
  p50: number | null;
  p99: number | null;
  max: number | null;
}

export function distribution(values: number[]): Distribution {
  const sorted = [...values].sort((a, b) => a - b);
  const round = (n: number | null) => (n === null ? null : Math.round(n * 10) / 10);
  return {
    count: sorted.length,
    p50: round(percentile(sorted, 50)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted.length ? sorted[sorted.length - 1]! : null),
  };
}

const CLK_TCK = (() => {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** utime + stime of a process in seconds, from /proc/<pid>/stat; null where /proc is absent. */
export function cpuSeconds(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // After the command name: field 3 (state) is index 0, so utime (14) and stime (15) are 11 and 12.
    return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
  } catch {
    return null;
  }
}

/** Counts by key, with the first example of each. */
export class Tally {
  readonly counts: Record<string, number> = {};
  readonly examples: Record<string, string> = {};
  add(key: string, example = ""): void {
    this.counts[key] = (this.counts[key] ?? 0) + 1;
    if (example && !(key in this.examples)) this.examples[key] = example.slice(0, 300);
  }
  get total(): number {
    return Object.values(this.counts).reduce((a, b) => a + b, 0);
  }
  toJSON() {
    return { counts: this.counts, examples: this.examples };
  }
}
