// The kiosk agent's log: one line per event on stderr.

export type LogLevel = "debug" | "info" | "warn" | "error";
export type AgentLog = (level: LogLevel, message: string) => void;

const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** One line per event on stderr; RASAI_LOG_LEVEL (debug, info, warn, error, silent) filters them. */
export function stderrLog(threshold = process.env.RASAI_LOG_LEVEL ?? "info"): AgentLog {
  const aliases: Record<string, number> = { silent: Infinity, fatal: LEVELS.error, trace: LEVELS.debug };
  const min = aliases[threshold] ?? LEVELS[threshold as LogLevel] ?? LEVELS.info;
  return (level, message) => {
    if (LEVELS[level] >= min)
      process.stderr.write(`${new Date().toISOString()} kiosk-agent ${level}: ${message}\n`);
  };
}

/** A failed request or command in a few words: "no answer in time", "ECONNREFUSED", ... */
export function describeError(error: unknown): string {
  const e = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === "AbortError") return "no answer in time";
  return e?.cause?.code ?? e?.cause?.message ?? e?.message ?? String(error);
}
