import type { FastifyInstance } from "fastify";
import { loadMemberKeys, type MemberKeys } from "../keys.ts";

const cache = new Map<string, MemberKeys>();

/** The CNIC keys of this server's data folder, loaded (and created on a first start) once. */
export function memberKeys(app: FastifyInstance): MemberKeys {
  const dir = app.deps.config.dataDir;
  let keys = cache.get(dir);
  if (!keys) {
    keys = loadMemberKeys(dir, process.env);
    cache.set(dir, keys);
  }
  return keys;
}
