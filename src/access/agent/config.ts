// Configuration of the kiosk agent: where the server is, which PC this is, its token, and the
// commands that lock, unlock and log out this PC. The defaults suit a Debian desktop with a `guest`
// account that logs in automatically (docs/kiosk-pc-setup.md); another OS needs other commands.

import fs from "node:fs";
import { ConfigError } from "../../config.ts";

export const COMMAND_NAMES = ["lock", "unlock", "timer", "warn", "logout", "message", "lock_check"] as const;
export type CommandName = (typeof COMMAND_NAMES)[number];
/** A shell command run through `/bin/sh -c`; null (or "") does nothing. */
export type Commands = Record<CommandName, string | null>;

/**
 * Placeholders a command may use. Each becomes a shell variable (`{text}` → `${RASAI_TEXT}`), so a
 * value is never parsed as shell code: write placeholders inside double quotes, not single quotes.
 */
export const PLACEHOLDERS = [
  "server",
  "pc",
  "url",
  "minutes",
  "text",
  "label",
  "ends_at",
  "session_id",
] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];

/**
 * The Debian defaults. The lock screen is Chromium in kiosk mode on the server's /kiosk/<pc> page,
 * told apart from any other Chromium by its profile folder and window class `rasai-kiosk-lock`.
 * The `[r]` in the patterns and the `$K-lock` spelling keep `pkill -f`/`pgrep -f` from matching
 * the shell that runs the command itself.
 */
export const DEBIAN_COMMANDS: Commands = {
  lock:
    'K=rasai-kiosk; pkill -f "[r]asai-kiosk-lock"; ' +
    'for i in 1 2 3 4 5 6 7 8 9 10; do pgrep -f "[r]asai-kiosk-lock" >/dev/null || break; sleep 0.3; done; ' +
    "chromium --kiosk --no-first-run --noerrdialogs --disable-session-crashed-bubble --disable-translate " +
    '--user-data-dir="/tmp/$K-lock" --class="$K-lock" "{url}" >/dev/null 2>&1 &',
  unlock: 'pkill -f "[r]asai-kiosk-lock" || true',
  timer: null,
  warn: 'notify-send -u critical "Rasai" "{minutes} منٹ باقی — {minutes} min left"',
  logout: "loginctl terminate-user guest",
  message: 'notify-send -u critical "Rasai" "{text}"',
  lock_check: 'pgrep -f "[r]asai-kiosk-lock" >/dev/null',
};

export interface AgentConfig {
  /** Base URL of the centre server, without a trailing slash. */
  server: string;
  pc: string;
  token: string;
  pollIntervalMs: number;
  requestTimeoutMs: number;
  commandTimeoutMs: number;
  /** How long to wait before asking again after the server refused the token (401). */
  unauthorizedRetryMs: number;
  /** How often `lock_check` runs while the PC is locked; 0 turns the check off. */
  lockCheckMs: number;
  /** Minutes before the end at which `warn` runs, largest first. */
  warningsMinutes: number[];
  /** Where unsent `ended` reports are kept across restarts; null keeps them in memory only. */
  queueFile: string | null;
  commands: Commands;
}

/** The JSON configuration file (`--config`); every key is optional. */
export interface AgentConfigFile {
  server?: string;
  pc?: string;
  token_file?: string;
  poll_interval_seconds?: number;
  request_timeout_seconds?: number;
  command_timeout_seconds?: number;
  unauthorized_retry_seconds?: number;
  lock_check_seconds?: number;
  warnings_minutes?: number[];
  queue_file?: string | null;
  commands?: Partial<Record<CommandName, string | null>>;
}

const NUMBER_KEYS = [
  "poll_interval_seconds",
  "request_timeout_seconds",
  "command_timeout_seconds",
  "unauthorized_retry_seconds",
  "lock_check_seconds",
] as const;
const FILE_KEYS = new Set<string>([
  "server",
  "pc",
  "token_file",
  ...NUMBER_KEYS,
  "warnings_minutes",
  "queue_file",
  "commands",
]);

export const DEFAULTS = {
  poll_interval_seconds: 2,
  request_timeout_seconds: 5,
  command_timeout_seconds: 30,
  unauthorized_retry_seconds: 30,
  lock_check_seconds: 5,
  warnings_minutes: [5, 1],
} as const;

/** Reads and checks a configuration file; a problem is a ConfigError naming the file and the key. */
export function readConfigFile(file: string): AgentConfigFile {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    throw new ConfigError(`Cannot read the kiosk agent configuration ${file}: ${(error as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(
      `The kiosk agent configuration ${file} is not valid JSON: ${(error as Error).message}`,
    );
  }
  return checkConfigFile(value, file);
}

export function checkConfigFile(value: unknown, source: string): AgentConfigFile {
  const bad = (what: string) => new ConfigError(`In ${source}: ${what}`);
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw bad("expected a JSON object");
  const v = value as Record<string, unknown>;
  for (const key of Object.keys(v)) {
    if (!FILE_KEYS.has(key)) throw bad(`unknown key "${key}" (known: ${[...FILE_KEYS].join(", ")})`);
  }
  for (const key of ["server", "pc", "token_file"] as const) {
    if (v[key] !== undefined && typeof v[key] !== "string") throw bad(`"${key}" must be a string`);
  }
  for (const key of NUMBER_KEYS) {
    const n = v[key];
    if (n === undefined) continue;
    const min = key === "lock_check_seconds" ? 0 : 0.01;
    if (typeof n !== "number" || !Number.isFinite(n) || n < min || n > 3600) {
      throw bad(`"${key}" must be a number of seconds between ${min} and 3600`);
    }
  }
  if (v.warnings_minutes !== undefined) {
    const w = v.warnings_minutes;
    if (
      !Array.isArray(w) ||
      w.some((m) => typeof m !== "number" || !Number.isFinite(m) || m <= 0 || m > 600)
    ) {
      throw bad(`"warnings_minutes" must be a list of minutes before the end, e.g. [5, 1]`);
    }
  }
  if (v.queue_file !== undefined && v.queue_file !== null && typeof v.queue_file !== "string") {
    throw bad(`"queue_file" must be a file path or null`);
  }
  if (v.commands !== undefined) {
    const c = v.commands;
    if (typeof c !== "object" || c === null || Array.isArray(c)) throw bad(`"commands" must be an object`);
    for (const [name, command] of Object.entries(c)) {
      if (!(COMMAND_NAMES as readonly string[]).includes(name)) {
        throw bad(`unknown command "${name}" (known: ${COMMAND_NAMES.join(", ")})`);
      }
      if (command !== null && typeof command !== "string")
        throw bad(`command "${name}" must be a string or null`);
    }
  }
  return v as AgentConfigFile;
}

/** The token from a file (surrounding white space removed); a ConfigError when unreadable or empty. */
export function readTokenFile(file: string): string {
  let token: string;
  try {
    token = fs.readFileSync(file, "utf8").trim();
  } catch (error) {
    throw new ConfigError(`Cannot read the PC token file ${file}: ${(error as Error).message}`);
  }
  if (!token) throw new ConfigError(`The PC token file ${file} is empty`);
  if (/\s/.test(token))
    throw new ConfigError(`The PC token file ${file} must hold the token alone, on one line`);
  return token;
}

/** An http(s) base URL without a trailing slash; a ConfigError otherwise. */
export function normaliseServerUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(
      `--server must be the centre server's address, e.g. http://192.168.1.10:3000 (got "${value}")`,
    );
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new ConfigError(`--server must start with http:// or https:// (got "${value}")`);
  }
  if (url.search || url.hash)
    throw new ConfigError(`--server must not carry a query or fragment (got "${value}")`);
  return url.toString().replace(/\/+$/, "");
}

/** The complete configuration, from the checked pieces (command line over file over defaults). */
export function buildAgentConfig(input: {
  server: string;
  pc: string;
  token: string;
  file?: AgentConfigFile;
}): AgentConfig {
  const file = input.file ?? {};
  const seconds = (key: (typeof NUMBER_KEYS)[number]) => Math.round((file[key] ?? DEFAULTS[key]) * 1000);
  const warnings = [...new Set(file.warnings_minutes ?? DEFAULTS.warnings_minutes)].sort((a, b) => b - a);
  const commands: Commands = { ...DEBIAN_COMMANDS };
  for (const name of COMMAND_NAMES) {
    const given = file.commands?.[name];
    if (given !== undefined) commands[name] = given === "" ? null : given;
  }
  const pc = input.pc.trim();
  if (!pc) throw new ConfigError("--pc must name this PC as the server knows it, e.g. PC-01");
  return {
    server: normaliseServerUrl(input.server),
    pc,
    token: input.token,
    pollIntervalMs: seconds("poll_interval_seconds"),
    requestTimeoutMs: seconds("request_timeout_seconds"),
    commandTimeoutMs: seconds("command_timeout_seconds"),
    unauthorizedRetryMs: seconds("unauthorized_retry_seconds"),
    lockCheckMs: seconds("lock_check_seconds"),
    warningsMinutes: warnings,
    queueFile: file.queue_file ?? null,
    commands,
  };
}

/** What `--print-config` shows: the file format with every default filled in. */
export function defaultConfigFile(): AgentConfigFile {
  return {
    ...DEFAULTS,
    warnings_minutes: [...DEFAULTS.warnings_minutes],
    queue_file: null,
    commands: { ...DEBIAN_COMMANDS },
  };
}
