import type { FastifyInstance } from "fastify";
import { centreRoutes } from "../centres/routes.tsx";
import { identityRoutes } from "../identity/routes.tsx";
import { usersRoutes } from "../identity/usersRoutes.tsx";
import { portalRoutes } from "../portal/routes/index.ts";
import { searchRoutes } from "../search/routes.tsx";
import { memberRoutes } from "../members/routes/index.ts";
import { accessRoutes } from "../access/routes/index.ts";
import { coreRoutes } from "./coreRoutes.ts";
import { staffPages } from "./staffPages.tsx";

/** Every domain's routes, in one place. */
export async function registerRoutes(app: FastifyInstance): Promise<void> {
  await coreRoutes(app);
  await identityRoutes(app);
  await usersRoutes(app);
  await centreRoutes(app);
  await portalRoutes(app);
  await searchRoutes(app);
  await memberRoutes(app);
  await accessRoutes(app);
  await staffPages(app);
}
