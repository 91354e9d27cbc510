import type { Actor } from "../audit/actor.ts";
import type { Config } from "../config.ts";
import type { Clock } from "../db/clock.ts";
import type { Db } from "../db/connect.ts";
import type { CentreTable, MemberTable, SessionTable, StaffRole, StaffUserTable } from "../db/schema.ts";
import type { Locale } from "../i18n/locale.ts";
import type { AssetRegistry } from "../ui/assets.ts";

/** Who may call a route. Every route declares one; the app refuses to start otherwise. */
/** "member": a signed-in member (their own cookie), for self-service pages. */
export type Access = "public" | "member" | { staff: readonly StaffRole[] };

/** Everything the HTTP layer needs, passed in: no globals. */
export interface AppDeps {
  config: Config;
  db: Db;
  clock: Clock;
  secret: string;
}

declare module "fastify" {
  interface FastifyContextConfig {
    access?: Access;
    /** Forms an anonymous reader posts carry a signed token for this purpose. */
    csrfPurpose?: string;
  }
  interface FastifyRequest {
    locale: Locale;
    staff: { user: StaffUserTable; session: SessionTable } | null;
    member: { member: MemberTable; session: SessionTable } | null;
    /** When the anonymous form's CSRF token was issued: the form's fill time starts there. */
    csrfIssuedAt: Date | null;
    actor(): Actor;
  }
  interface FastifyInstance {
    deps: AppDeps;
    assets: AssetRegistry;
    /** Set while the server drains, so /readyz tells the load balancer to stop sending. */
    lifecycle: { shuttingDown: boolean };
    currentCentre(): Promise<CentreTable | undefined>;
    forgetCurrentCentre(): void;
  }
}
