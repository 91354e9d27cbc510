import fs from "node:fs";
import path from "node:path";

/** A configuration problem a person can fix; the CLI prints `message` alone on one line. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

export type DatabaseConfig =
  { dialect: "sqlite"; file: string } | { dialect: "postgres"; url: string; schema?: string };

export type Mode = "centre" | "hq";

export interface Config {
  port: number;
  host: string;
  mode: Mode;
  dataDir: string;
  database: DatabaseConfig;
  logLevel: string;
  /** Public base URL, used for canonical links; derived from the request when absent. */
  publicUrl: string | undefined;
  trustProxy: boolean;
  backupKeep: number;
  /** Hour of the day (server local time) for the nightly backup; -1 disables it. */
  backupHour: number;
  /** Hour of the day (server local time) for the nightly search-index merge; -1 disables it. */
  maintenanceHour: number;
  /** Secret for signing tokens; when absent a key file in the data folder is created. */
  secret: string | undefined;
  defaultTimeZone: string;
}

type Env = Record<string, string | undefined>;

function integer(env: Env, name: string, fallback: number, min: number, max: number, hint: string): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === "") return fallback;
  if (!/^\d+$/.test(raw.trim())) {
    throw new ConfigError(`${name}="${raw}" is not a whole number: ${hint}.`);
  }
  const value = Number(raw.trim());
  if (value < min || value > max) throw new ConfigError(`${name}=${raw} is out of range: ${hint}.`);
  return value;
}

export function parseDatabaseUrl(raw: string | undefined, dataDir: string): DatabaseConfig {
  if (raw === undefined || raw.trim() === "") {
    return { dialect: "sqlite", file: path.join(dataDir, "rasai.sqlite") };
  }
  const value = raw.trim();
  if (value.startsWith("sqlite:")) {
    const file = value.slice("sqlite:".length).replace(/^\/\//, "");
    if (file === "")
      throw new ConfigError(`DATABASE_URL="${raw}" names no file: use sqlite:./data/rasai.sqlite.`);
    return { dialect: "sqlite", file: path.resolve(file) };
  }
  if (/^postgres(ql)?:\/\//.test(value)) {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw new ConfigError(
        `DATABASE_URL is not a valid URL: use postgres://user:password@host:5432/database.`,
      );
    }
    if (!url.hostname)
      throw new ConfigError(`DATABASE_URL has no host: use postgres://user@host:5432/database.`);
    if (url.pathname.replace("/", "") === "") {
      throw new ConfigError(
        `DATABASE_URL names no database: add it after the host, e.g. postgres://postgres@127.0.0.1:5432/rasai.`,
      );
    }
    return { dialect: "postgres", url: value };
  }
  throw new ConfigError(
    `DATABASE_URL="${raw.slice(0, 40)}" is not understood: use postgres://user@host:5432/database, or leave it unset for the built-in SQLite file.`,
  );
}

function timeZone(env: Env): string {
  const tz = env.RASAI_TIME_ZONE?.trim() || "Asia/Karachi";
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
  } catch {
    throw new ConfigError(
      `RASAI_TIME_ZONE="${tz}" is not a known time zone: use an IANA name such as Asia/Karachi.`,
    );
  }
  return tz;
}

export function loadConfig(env: Env = process.env): Config {
  const port = integer(env, "PORT", 3000, 0, 65535, "set PORT to a port number between 1 and 65535");
  const host = env.HOST?.trim() || "0.0.0.0";
  const modeRaw = env.RASAI_MODE?.trim() || "centre";
  if (modeRaw !== "centre" && modeRaw !== "hq") {
    throw new ConfigError(`RASAI_MODE="${modeRaw}" is not a mode: use centre (the default) or hq.`);
  }
  const dataDir = path.resolve(env.RASAI_DATA_DIR?.trim() || "data");
  const database = parseDatabaseUrl(env.DATABASE_URL, dataDir);
  const logLevel = env.RASAI_LOG_LEVEL?.trim() || env.LOG_LEVEL?.trim() || "info";
  const levels = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];
  if (!levels.includes(logLevel)) {
    throw new ConfigError(`RASAI_LOG_LEVEL="${logLevel}" is not a level: use one of ${levels.join(", ")}.`);
  }
  let publicUrl = env.RASAI_PUBLIC_URL?.trim() || undefined;
  if (publicUrl) {
    try {
      publicUrl = new URL(publicUrl).origin;
    } catch {
      throw new ConfigError(`RASAI_PUBLIC_URL="${publicUrl}" is not a URL: use e.g. https://iac.example.pk.`);
    }
  }
  const secret = env.RASAI_SECRET?.trim() || undefined;
  if (secret !== undefined && secret.length < 32) {
    throw new ConfigError(
      `RASAI_SECRET is too short: use at least 32 random characters, or unset it to use a key file.`,
    );
  }
  return {
    port,
    host,
    mode: modeRaw,
    dataDir,
    database,
    logLevel,
    publicUrl,
    trustProxy: env.RASAI_TRUST_PROXY === "1" || env.RASAI_TRUST_PROXY === "true",
    backupKeep: integer(
      env,
      "RASAI_BACKUP_KEEP",
      7,
      1,
      365,
      "set RASAI_BACKUP_KEEP to how many nightly backups to keep (1–365)",
    ),
    backupHour:
      env.RASAI_BACKUP_HOUR === "off"
        ? -1
        : integer(env, "RASAI_BACKUP_HOUR", 2, 0, 23, "set RASAI_BACKUP_HOUR to an hour 0–23, or off"),
    maintenanceHour:
      env.RASAI_MAINTENANCE_HOUR === "off"
        ? -1
        : integer(
            env,
            "RASAI_MAINTENANCE_HOUR",
            3,
            0,
            23,
            "set RASAI_MAINTENANCE_HOUR to an hour 0–23, or off",
          ),
    secret,
    defaultTimeZone: timeZone(env),
  };
}

/** Makes sure the data folder exists and is writable, with an error a person can act on. */
export function ensureDataDir(dir: string): void {
  try {
    fs.mkdirSync(dir, { recursive: true });
    fs.accessSync(dir, fs.constants.W_OK);
    const probe = path.join(dir, `.write-test-${process.pid}`);
    fs.writeFileSync(probe, "");
    fs.rmSync(probe);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "error";
    throw new ConfigError(
      `The data folder ${dir} cannot be written (${code}): set RASAI_DATA_DIR to a folder this user may write, or fix its permissions.`,
    );
  }
}
