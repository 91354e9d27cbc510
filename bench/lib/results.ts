import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { REPO_ROOT } from "./server.ts";

export const RESULTS_DIR = path.join(REPO_ROOT, "bench", "results");

export interface MachineInfo {
  cpus: number;
  cpuModel: string;
  totalMemoryMiB: number;
  platform: string;
  arch: string;
  osRelease: string;
  node: string;
}

export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? "unknown",
    totalMemoryMiB: Math.round(os.totalmem() / 1024 / 1024),
    platform: os.platform(),
    arch: os.arch(),
    osRelease: os.release(),
    node: process.version,
  };
}

/**
 * Milliseconds for a fixed loop of arithmetic on one core (median of three). The same machine
 * has been seen to run it in 340 ms and, hours later, 480 ms (a virtual machine's neighbours):
 * figures from runs with different speeds do not compare, and a table should say which it was.
 */
export function cpuSpeedProbe(): number {
  const times: number[] = [];
  for (let r = 0; r < 3; r++) {
    const started = performance.now();
    let x = 0;
    for (let i = 0; i < 300_000_000; i++) x += i % 7;
    if (x < 0) throw new Error("unreachable");
    times.push(performance.now() - started);
  }
  return Math.round(times.sort((a, b) => a - b)[1]!);
}

/** The line a report ends with: the probe before and after, beside the range this machine type has shown. */
export function speedProbeLine(before: number, after: number): string {
  return (
    `  machine speed: a fixed loop took ${before} ms before and ${after} ms after (lower is faster; ` +
    `this kind of machine has run it in 340–480 ms)`
  );
}

/** The nearest-rank percentile (p from 0 to 1) of values sorted ascending; NaN when there are none. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

/** The commit benchmarked and whether the tree had changes; null outside a git checkout. */
export function gitInfo(): { commit: string; dirty: boolean } | null {
  try {
    const run = (args: string[]) =>
      execFileSync("git", args, { cwd: REPO_ROOT, encoding: "utf8", timeout: 5000 }).trim();
    return { commit: run(["rev-parse", "HEAD"]), dirty: run(["status", "--porcelain"]) !== "" };
  } catch {
    return null;
  }
}

/** Writes bench/results/<name>-<timestamp>.json and <name>-latest.json; returns both paths. */
export function writeResults(name: string, date: Date, data: unknown): string[] {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  // ISO 8601 with ':' replaced, so the name is valid on every file system.
  const stamp = date.toISOString().replace(/:/g, "-");
  const json = `${JSON.stringify(data, null, 2)}\n`;
  const files = [
    path.join(RESULTS_DIR, `${name}-${stamp}.json`),
    path.join(RESULTS_DIR, `${name}-latest.json`),
  ];
  for (const file of files) fs.writeFileSync(file, json);
  return files;
}

/**
 * A plain-text table with an optional group header row: `groups` spans columns
 * (e.g. one group per database), `header` names each column.
 */
export function formatTable(
  header: string[],
  rows: string[][],
  groups?: { label: string; span: number }[],
): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const sep = " | ";
  const alignRight = (i: number) => i > 0;
  const cell = (text: string, i: number) =>
    alignRight(i) ? text.padStart(widths[i]!) : text.padEnd(widths[i]!);
  const lines: string[] = [];
  if (groups) {
    let col = 0;
    const parts: string[] = [];
    for (const group of groups) {
      const span = widths.slice(col, col + group.span);
      const width = span.reduce((a, b) => a + b, 0) + (span.length - 1) * 2;
      parts.push(group.label.padEnd(width));
      col += group.span;
    }
    lines.push(parts.join(sep).trimEnd());
  }
  const joinRow = (row: string[]) => {
    // Columns within a group are separated by two spaces, groups by " | ".
    let out = "";
    let col = 0;
    const bounds = new Set<number>();
    for (const group of groups ?? header.map(() => ({ span: 1 }))) bounds.add((col += group.span));
    row.forEach((text, i) => {
      out += cell(text, i);
      if (i < row.length - 1) out += bounds.has(i + 1) ? sep : "  ";
    });
    return out.trimEnd();
  };
  lines.push(joinRow(header));
  lines.push(joinRow(widths.map((w) => "-".repeat(w))));
  for (const row of rows) lines.push(joinRow(row));
  return lines.join("\n");
}
