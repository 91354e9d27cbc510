import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { ConfigError } from "../config.ts";

/**
 * The server's signing secret: RASAI_SECRET when set, else a key file made at first start
 * in the data folder (readable by this user only), so a centre needs no set-up.
 */
export function loadOrCreateSecret(dataDir: string, fromEnv: string | undefined): string {
  if (fromEnv) return fromEnv;
  const file = path.join(dataDir, "secret.key");
  try {
    if (fs.existsSync(file)) {
      const value = fs.readFileSync(file, "utf8").trim();
      if (value.length >= 32) return value;
      throw new ConfigError(
        `The key file ${file} is damaged (too short): delete it to make a new one (everyone will be signed out).`,
      );
    }
    const value = crypto.randomBytes(48).toString("base64url");
    fs.writeFileSync(file, `${value}\n`, { mode: 0o600, flag: "wx" });
    return value;
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return fs.readFileSync(file, "utf8").trim();
    throw new ConfigError(
      `Cannot read or create the key file ${file}: check RASAI_DATA_DIR permissions, or set RASAI_SECRET.`,
    );
  }
}
