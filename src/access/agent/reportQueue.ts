// The kiosk agent's ends of sessions not yet reported to the server, kept in a file (when one is
// configured) so they survive a restart or a power cut and are sent when the link is back.

import fs from "node:fs";
import path from "node:path";
import { describeError, type AgentLog } from "./log.ts";
import type { EndedReport } from "./protocol.ts";

export function loadReportQueue(file: string | null, log: AgentLog): EndedReport[] {
  if (!file || !fs.existsSync(file)) return [];
  try {
    const value: unknown = JSON.parse(fs.readFileSync(file, "utf8"));
    if (!Array.isArray(value)) throw new Error("not a list");
    return value.filter(
      (r): r is EndedReport =>
        typeof r === "object" &&
        r !== null &&
        typeof r.session_id === "string" &&
        typeof r.at === "string" &&
        (r.reason === "time" || r.reason === "user"),
    );
  } catch (error) {
    log("warn", `ignored the report queue ${file}: ${describeError(error)}`);
    return [];
  }
}

/** Written to a temporary file and renamed, so a crash never leaves half a queue. */
export function saveReportQueue(file: string | null, reports: EndedReport[], log: AgentLog): void {
  if (!file) return;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const temp = `${file}.tmp`;
    fs.writeFileSync(temp, JSON.stringify(reports));
    fs.renameSync(temp, file);
  } catch (error) {
    log("warn", `cannot keep the report queue in ${file}: ${describeError(error)}`);
  }
}
