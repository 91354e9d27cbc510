import fs from "node:fs";
import path from "node:path";

/** Uploaded and imported images live under <data>/media, named by the article's id. */
export function mediaDir(dataDir: string): string {
  return path.join(dataDir, "media");
}

export function storeMediaFile(dataDir: string, name: string, source: string): void {
  const dir = mediaDir(dataDir);
  fs.mkdirSync(dir, { recursive: true });
  fs.copyFileSync(source, path.join(dir, name));
}

const SAFE_NAME = /^[a-z0-9][a-z0-9._-]{0,100}$/i;

export function mediaPath(dataDir: string, name: string): string | undefined {
  if (!SAFE_NAME.test(name) || name.includes("..")) return undefined;
  const file = path.join(mediaDir(dataDir), name);
  return fs.existsSync(file) ? file : undefined;
}
