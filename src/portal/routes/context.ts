import type { FastifyInstance } from "fastify";
import { PageCache } from "../pageCache.ts";
import { ViewCounter } from "../viewCounter.ts";
import { addViews } from "../queries.ts";

export interface PortalRuntime {
  views: ViewCounter;
  pages: PageCache;
}

declare module "fastify" {
  interface FastifyInstance {
    portal: PortalRuntime;
  }
}

/** The view counter and page cache live with the app; views are written every 10 s and at close. */
export function registerPortalRuntime(app: FastifyInstance): void {
  const views = new ViewCounter((id, n) => addViews(app.deps.db, id, n));
  app.decorate("portal", { views, pages: new PageCache() });
  const timer = setInterval(() => void views.flush(), 10_000);
  timer.unref();
  app.addHook("onClose", async () => {
    clearInterval(timer);
    await views.flush();
  });
}
