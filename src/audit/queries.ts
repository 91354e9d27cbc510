import type { Executor } from "../db/connect.ts";
import type { AuditLogTable } from "../db/schema.ts";

export async function insertAuditEntry(db: Executor, row: AuditLogTable): Promise<void> {
  await db.insertInto("audit_log").values(row).execute();
}

export async function listAuditEntries(
  db: Executor,
  filter: { centreId?: string | null; entity?: string; entityId?: string; limit?: number; offset?: number },
): Promise<AuditLogTable[]> {
  let q = db.selectFrom("audit_log").selectAll();
  if (filter.centreId !== undefined && filter.centreId !== null)
    q = q.where("centre_id", "=", filter.centreId);
  if (filter.entity) q = q.where("entity", "=", filter.entity);
  if (filter.entityId) q = q.where("entity_id", "=", filter.entityId);
  return q
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .limit(filter.limit ?? 50)
    .offset(filter.offset ?? 0)
    .execute();
}
