import fs from "node:fs";
import path from "node:path";
import { runningServerPid } from "../backup/restore.ts";
import { ConfigError, type Config } from "../config.ts";
import { systemClock } from "../db/clock.ts";
import type { Db } from "../db/connect.ts";
import {
  decodeKey,
  hqKeyId,
  keyId,
  loadMemberKeys,
  MissingDataKey,
  parseHqPublicKey,
  HASH_KEY_FILE,
  RETIRED_DIR,
  type MemberKeys,
} from "../members/keys.ts";
import { generateHqKeyPair } from "../members/hqSeal.ts";
import { keyUsage, reencryptAll, rehashAll, rotateDataKey, sealPending } from "../members/keyRotation.ts";
import { photoKeyUsage } from "../members/queries.ts";
import { openRuntime, UsageError } from "./runtime.ts";
import { progressBar } from "./searchCommand.ts";

type Flags = Record<string, string | boolean | undefined>;

const USAGE =
  "Usage: rasai keys status|rotate|reencrypt|seal-pending|rehash|hq-generate. See rasai keys --help.";

const plural = (n: number, one: string, many = `${one}s`) =>
  `${n.toLocaleString("en")} ${n === 1 ? one : many}`;

export async function keysCommand(action: string | undefined, rest: string[], flags: Flags): Promise<void> {
  if (rest.length > 0) throw new UsageError(`Unexpected "${rest[0]}". ${USAGE}`);
  switch (action) {
    case "hq-generate":
      return hqGenerate(flags);
    case "status":
      return withKeys((ctx) => status(ctx));
    case "rotate":
      return withKeys((ctx) => rotate(ctx), { serverStopped: true });
    case "reencrypt":
      return withKeys((ctx) => reencrypt(ctx));
    case "seal-pending":
      return withKeys((ctx) => seal(ctx, flags));
    case "rehash":
      return withKeys((ctx) => rehash(ctx, flags), { serverStopped: true });
    default:
      throw new UsageError(action ? `Unknown keys action "${action}". ${USAGE}` : USAGE);
  }
}

interface Ctx {
  config: Config;
  db: Db;
  keys: MemberKeys;
}

async function withKeys(run: (ctx: Ctx) => Promise<void>, options: { serverStopped?: boolean } = {}) {
  const { config, db } = await openRuntime();
  try {
    if (options.serverStopped) {
      const pid = runningServerPid(config.dataDir);
      if (pid !== undefined) {
        throw new ConfigError(
          `A Rasai server (pid ${pid}) is running on ${config.dataDir}: stop it first, then run this again; it reads its keys only at start.`,
        );
      }
    }
    const keys = loadMemberKeys(config.dataDir);
    await run({ config, db, keys });
  } catch (error) {
    // A missing key or a damaged value is something the operator fixes: one line, not a trace.
    if (error instanceof MissingDataKey || /^An encrypted field/.test((error as Error).message)) {
      throw new ConfigError((error as Error).message);
    }
    throw error;
  } finally {
    await db.destroy();
  }
}

/** A progress bar whose last line is drawn once, by `finish`. */
function bar(label: string) {
  const b = progressBar(process.stderr, label);
  let latest = { done: 0, total: 0 };
  return {
    onProgress(p: { done: number; total: number }) {
      latest = p;
      if (p.done < p.total) b.update(p);
    },
    finish: () => b.done(latest),
  };
}

const SOURCE_TEXT = {
  env: "from the environment",
  file: "from the key file",
  none: "not set",
} as const;

/** "5 CNICs and 2 photos": both always, so the operator sees the photos were not forgotten. */
const cnicsAndPhotos = (cnics: number, photos: number) =>
  `${plural(cnics, "CNIC")} and ${plural(photos, "photo")}`;

async function status({ db, keys }: Ctx): Promise<void> {
  const { byKey, unsealed } = await keyUsage(db);
  const photosByKey = await photoKeyUsage(db);
  const src = keys.sources ?? { dataKey: "file", hashKey: "file", hqPublicKey: "file" };
  const lines: string[] = [];
  lines.push(`Keys folder: ${keys.dir}`);
  lines.push(
    `Data keys (current ${src.dataKey === "env" ? "from RASAI_DATA_KEY" : "named in keys/current"}):`,
  );
  const ids = new Set([
    keys.currentDataKeyId,
    ...keys.dataKeys.keys(),
    ...byKey.keys(),
    ...photosByKey.keys(),
  ]);
  for (const id of ids) {
    const role = !keys.dataKeys.has(id)
      ? "MISSING — these CNICs and photos cannot be read until the key is put back"
      : id === keys.currentDataKeyId
        ? "current"
        : fs.existsSync(path.join(keys.dir, RETIRED_DIR, `data-${id}.key`))
          ? "retired"
          : "old";
    const members = plural(byKey.get(id) ?? 0, "member").padEnd(14);
    const photos = plural(photosByKey.get(id) ?? 0, "photo").padEnd(12);
    lines.push(`  ${id}  ${members} ${photos} ${role}`);
  }
  const hashNote =
    src.hashKey === "env"
      ? "from RASAI_CNIC_HASH_KEY"
      : `from ${HASH_KEY_FILE} (this centre's own key until headquarters issues the national one)`;
  lines.push(`CNIC hash key: ${keyId(keys.hashKey)}  ${hashNote}`);
  lines.push(
    keys.hqPublicKey
      ? `Headquarters public key: ${hqKeyId(keys.hqPublicKey)}  ${SOURCE_TEXT[src.hqPublicKey]}`
      : "Headquarters public key: none (CNICs are not sealed for headquarters yet)",
  );
  lines.push(`Not sealed for headquarters: ${plural(unsealed, "member")}`);
  if (unsealed > 0 && keys.hqPublicKey) lines.push("  run rasai keys seal-pending to seal them");
  const notCurrent = (usage: Map<string, number>) =>
    [...usage].filter(([id]) => id !== keys.currentDataKeyId).reduce((n, [, c]) => n + c, 0);
  const staleMembers = notCurrent(byKey);
  const stalePhotos = notCurrent(photosByKey);
  if (staleMembers > 0 || stalePhotos > 0) {
    lines.push(
      `  ${plural(staleMembers, "member")} and ${plural(stalePhotos, "photo")} under older data keys: run rasai keys reencrypt`,
    );
  }
  console.log(lines.join("\n"));
}

async function rotate({ db, keys }: Ctx): Promise<void> {
  const previous = keys.currentDataKeyId;
  const progress = bar("re-encrypt");
  const result = await rotateDataKey(db, keys, { onProgress: progress.onProgress });
  progress.finish();
  console.log(
    `Data key rotated: ${previous} → ${result.newKeyId}; ${cnicsAndPhotos(result.reencrypted, result.photos)} re-encrypted.\n` +
      `Unused old keys moved to ${path.join(keys.dir, RETIRED_DIR)}: keep them (older backups need them) and back up the keys folder now.`,
  );
}

async function reencrypt({ db, keys }: Ctx): Promise<void> {
  const progress = bar("re-encrypt");
  const { reencrypted, photos } = await reencryptAll(db, keys, { onProgress: progress.onProgress });
  progress.finish();
  console.log(
    `${cnicsAndPhotos(reencrypted, photos)} re-encrypted under the current data key ${keys.currentDataKeyId}.`,
  );
}

async function seal({ db, keys }: Ctx, flags: Flags): Promise<void> {
  const progress = bar("seal");
  const all = flags.all === true;
  const { sealed } = await sealPending(db, keys, {
    all,
    clock: systemClock,
    onProgress: progress.onProgress,
  });
  progress.finish();
  console.log(`${plural(sealed, "CNIC")} ${all ? "re-sealed" : "sealed"} for headquarters.`);
}

/**
 * `rasai keys rehash [--hash-key FILE]`: with a file (the national key from headquarters) the
 * key is checked and used, and put in place as keys/cnic-hash.key only once every hash has
 * been recomputed; the centre's own key goes to keys/retired/. Without, the configured key.
 */
async function rehash({ db, keys }: Ctx, flags: Flags): Promise<void> {
  const file = typeof flags["hash-key"] === "string" ? flags["hash-key"] : undefined;
  let install: { text: string; previous: string } | undefined;
  if (file !== undefined) {
    if (keys.sources?.hashKey === "env") {
      throw new ConfigError(
        "The hash key comes from RASAI_CNIC_HASH_KEY: set it to the national key and run rasai keys rehash without --hash-key.",
      );
    }
    let text: string;
    try {
      text = fs.readFileSync(file, "utf8").trim();
    } catch (error) {
      throw new ConfigError(
        `Cannot read ${file} (${(error as NodeJS.ErrnoException).code}): give the key file's path.`,
      );
    }
    const key = decodeKey(text);
    if (!key) {
      throw new ConfigError(
        `${file} is not a base64-encoded 32-byte hash key: ask headquarters for the key file.`,
      );
    }
    install = { text, previous: keyId(keys.hashKey) };
    keys.hashKey = key;
  }

  const progress = bar("rehash");
  const { rehashed, collisions } = await rehashAll(db, keys, {
    clock: systemClock,
    onProgress: progress.onProgress,
  });
  if (collisions.length > 0) {
    console.log(`Nothing changed: ${plural(collisions.length, "CNIC")} belong to more than one member:`);
    for (const c of collisions)
      console.log(`  ${c.cnicMasked}  ${c.members.map((m) => m.memberNo).join(", ")}`);
    console.log("Merge or correct these members, then run rasai keys rehash again.");
    process.exitCode = 1;
    return;
  }
  progress.finish();
  if (install) {
    const target = path.join(keys.dir, HASH_KEY_FILE);
    if (fs.existsSync(target) && install.previous !== keyId(keys.hashKey)) {
      fs.mkdirSync(path.join(keys.dir, RETIRED_DIR), { recursive: true, mode: 0o700 });
      fs.renameSync(target, path.join(keys.dir, RETIRED_DIR, `cnic-hash-${install.previous}.key`));
    }
    fs.mkdirSync(keys.dir, { recursive: true, mode: 0o700 });
    fs.writeFileSync(target, `${install.text}\n`, { mode: 0o600 });
    fs.chmodSync(target, 0o600);
  }
  console.log(
    `${plural(rehashed, "CNIC hash", "CNIC hashes")} recomputed under hash key ${keyId(keys.hashKey)}.`,
  );
}

async function hqGenerate(flags: Flags): Promise<void> {
  const out = typeof flags.out === "string" ? flags.out : undefined;
  if (!out) throw new UsageError("rasai keys hq-generate needs --out <folder> (a new or empty folder).");
  const dir = path.resolve(out);
  const privateFile = path.join(dir, "hq-private.pem");
  const publicFile = path.join(dir, "hq-public.pem");
  for (const f of [privateFile, publicFile]) {
    if (fs.existsSync(f))
      throw new ConfigError(`${f} already exists: choose another --out folder (nothing was written).`);
  }
  const pair = generateHqKeyPair();
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    fs.writeFileSync(privateFile, pair.privatePem, { mode: 0o600, flag: "wx" });
    fs.writeFileSync(publicFile, pair.publicPem, { mode: 0o644, flag: "wx" });
  } catch (error) {
    throw new ConfigError(
      `Cannot write to ${dir} (${(error as NodeJS.ErrnoException).code}): choose another --out folder.`,
    );
  }
  const id = hqKeyId(parseHqPublicKey(pair.publicPem, publicFile));
  console.log(
    [
      `Headquarters key pair ${id} written to ${dir}:`,
      `  hq-private.pem  SECRET. Opens every CNIC every centre seals. Keep it at headquarters only,`,
      `                  offline copies in two safe places; never copy it to a centre. Lost, sealed`,
      `                  CNICs cannot be read; stolen, make a new pair; centres run seal-pending --all.`,
      `  hq-public.pem   Give it to every centre: put it at RASAI_DATA_DIR/keys/hq-public.pem (or set`,
      `                  RASAI_HQ_PUBLIC_KEY), restart the server, run rasai keys seal-pending.`,
      `Centres check they have the right key: rasai keys status shows its id, ${id}.`,
    ].join("\n"),
  );
}
