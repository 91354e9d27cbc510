import type { FastifyInstance } from "fastify";
import { deskRoutes } from "../desk/routes.tsx";
import { portalApiRoutes } from "./api.ts";
import { commentApiRoutes } from "./commentsApi.ts";
import { articlePageRoutes } from "./articlePage.tsx";
import { registerPortalRuntime } from "./context.ts";
import { feedRoutes } from "./feeds.ts";
import { publicPageRoutes } from "./publicPages.tsx";

export async function portalRoutes(app: FastifyInstance): Promise<void> {
  registerPortalRuntime(app);
  await publicPageRoutes(app);
  await articlePageRoutes(app);
  await feedRoutes(app);
  await deskRoutes(app);
  await portalApiRoutes(app);
  await commentApiRoutes(app);
}
