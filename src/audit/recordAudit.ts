import type { Clock } from "../db/clock.ts";
import type { Executor } from "../db/connect.ts";
import { newId } from "../db/ids.ts";
import type { Actor } from "./actor.ts";
import { insertAuditEntry } from "./queries.ts";

export interface AuditEvent {
  action: string;
  entity: string;
  entityId: string | null;
  centreId: string | null;
  details?: Record<string, unknown>;
}

/**
 * Writes one audit row. Call it with the same transaction as the change it records,
 * so a change and its audit entry stand or fall together.
 */
export async function recordAudit(
  db: Executor,
  actor: Actor,
  event: AuditEvent,
  clock: Clock,
): Promise<void> {
  await insertAuditEntry(db, {
    id: newId(),
    centre_id: event.centreId,
    actor_kind: actor.kind,
    actor_id: actor.kind === "staff" || actor.kind === "member" ? actor.id : null,
    actor_name: "name" in actor ? actor.name : "anonymous",
    action: event.action,
    entity: event.entity,
    entity_id: event.entityId,
    details: JSON.stringify(event.details ?? {}),
    ip: "ip" in actor ? actor.ip : null,
    created_at: clock.now().toISOString(),
  });
}
