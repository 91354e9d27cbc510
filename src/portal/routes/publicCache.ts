import type { FastifyReply, FastifyRequest } from "fastify";
import { pageHtml, sendPage, type PageOptions } from "../../server/render.tsx";
import { portalVersion } from "../contentVersion.ts";
import { compressPage } from "../pageCache.ts";
import { sendCached } from "./articlePage.tsx";

/**
 * Serves a public list page from the page cache when an anonymous reader asks: rendered and
 * compressed once per minute at most, or after any portal change or centre settings change.
 * Signed-in staff always get a fresh page (it carries their navigation).
 */
export async function cachedPublicPage(
  request: FastifyRequest,
  reply: FastifyReply,
  build: () => Promise<PageOptions>,
): Promise<FastifyReply> {
  const app = request.server;
  if (request.staff) return sendPage(request, reply, await build());
  const centre = await app.currentCentre();
  const stamp = centre?.updated_at ?? "";
  const key = `page:${request.host}:${request.url}`;
  const now = app.deps.clock.now().getTime();
  let entry = app.portal.pages.get(key, { version: portalVersion(), stamp, now });
  if (!entry) {
    const version = portalVersion();
    const options = await build();
    const html = await pageHtml(request, options);
    if ((options.status ?? 200) !== 200) {
      return reply
        .code(options.status ?? 200)
        .type("text/html; charset=utf-8")
        .send(html);
    }
    entry = {
      version,
      stamp,
      createdAt: now,
      path: request.url,
      articleId: null,
      html,
      ...(await compressPage(html)),
    };
    app.portal.pages.set(key, entry);
  }
  return sendCached(reply, request.locale, entry, request.headers["accept-encoding"]);
}
