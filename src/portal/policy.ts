import type { Actor } from "../audit/actor.ts";
import type { ArticleTable } from "../db/schema.ts";
import { Forbidden } from "../server/errors.ts";

/**
 * Who may do what with articles and comments. One function per row of the editorial
 * table; each answers for an actor and an article (or the article about to exist).
 */
type Target = Pick<ArticleTable, "centre_id" | "kind" | "status" | "author_id">;

function staffOf(actor: Actor) {
  return actor.kind === "staff" ? actor : null;
}

const isSystem = (actor: Actor) => actor.kind === "cli" || actor.kind === "system";

function ownCentre(actor: Actor, target: Target): boolean {
  const s = staffOf(actor);
  return !!s && target.centre_id !== null && s.centreId === target.centre_id;
}

/** Create a draft, edit one's own draft, send it for review. */
export function mayDraft(actor: Actor, target: Target): boolean {
  if (isSystem(actor)) return true;
  const s = staffOf(actor);
  if (!s) return false;
  if (s.role === "hq_admin") return true;
  if (s.role === "centre_manager") return ownCentre(actor, target);
  if (s.role === "staff") {
    return (
      ownCentre(actor, target) &&
      target.status !== "published" &&
      (target.author_id === null || target.author_id === s.id)
    );
  }
  return false;
}

/** Publish, schedule or unpublish. National content is headquarters' alone. */
export function mayPublish(actor: Actor, target: Target): boolean {
  if (isSystem(actor)) return true;
  const s = staffOf(actor);
  if (!s) return false;
  if (s.role === "hq_admin") return true;
  if (target.centre_id === null) return false;
  return s.role === "centre_manager" && ownCentre(actor, target);
}

export function mayModerate(actor: Actor, articleCentreId: string | null): boolean {
  if (isSystem(actor)) return true;
  const s = staffOf(actor);
  if (!s) return false;
  if (s.role === "hq_admin") return true;
  if (s.role !== "centre_manager" && s.role !== "staff") return false;
  return articleCentreId !== null && s.centreId === articleCentreId;
}

export function mayRestoreRevision(actor: Actor, target: Target): boolean {
  if (isSystem(actor)) return true;
  const s = staffOf(actor);
  if (!s) return false;
  if (s.role === "hq_admin") return true;
  return s.role === "centre_manager" && ownCentre(actor, target);
}

/** May see the article on the desk (not the same as editing it). */
export function mayViewOnDesk(actor: Actor, target: Target): boolean {
  if (isSystem(actor)) return true;
  const s = staffOf(actor);
  if (!s || s.role === "instructor") return false;
  if (s.role === "hq_admin") return true;
  return target.centre_id === null || s.centreId === target.centre_id;
}

export function assertMay(allowed: boolean): void {
  if (!allowed) throw new Forbidden();
}
