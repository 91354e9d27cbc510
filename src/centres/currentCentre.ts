import type { Executor } from "../db/connect.ts";
import type { CentreTable } from "../db/schema.ts";
import { findCentreById, getSetting, listCentres, putSetting } from "./queries.ts";

export const CURRENT_CENTRE_KEY = "current_centre_id";

/**
 * The centre this server runs (centre mode): the one named in the instance settings, or
 * the only centre there is. Headquarters has none of its own.
 */
export async function loadCurrentCentre(db: Executor): Promise<CentreTable | undefined> {
  const id = await getSetting(db, CURRENT_CENTRE_KEY);
  if (id) {
    const centre = await findCentreById(db, id);
    if (centre) return centre;
  }
  const all = await listCentres(db);
  return all.length === 1 ? all[0] : undefined;
}

export async function setCurrentCentre(db: Executor, centreId: string, nowIso: string): Promise<void> {
  await putSetting(db, CURRENT_CENTRE_KEY, centreId, nowIso);
}
