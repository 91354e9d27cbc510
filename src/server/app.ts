import compress from "@fastify/compress";
import cookie from "@fastify/cookie";
import formbody from "@fastify/formbody";
import multipart from "@fastify/multipart";
import helmet from "@fastify/helmet";
import rateLimit from "@fastify/rate-limit";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import Fastify, { type FastifyInstance, type FastifyServerOptions } from "fastify";
import zlib from "node:zlib";
import { loadCurrentCentre } from "../centres/currentCentre.ts";
import type { CentreTable } from "../db/schema.ts";
import { newId } from "../db/ids.ts";
import { loadAssets } from "../ui/assets.ts";
import { registerApiDocs } from "./apiDocs.ts";
import { handleError, sendError } from "./errorHandler.tsx";
import { TooManyRequests } from "./errors.ts";
import { registerRequestContext } from "./requestContext.ts";
import { registerRoutes } from "./routes.ts";
import type { AppDeps } from "./types.ts";
import { AJV_OPTIONS } from "./validation.ts";

export type App = FastifyInstance;

export interface BuildOptions {
  logger?: FastifyServerOptions["logger"];
}

/** Builds the whole Rasai app without listening: tests drive it with `inject`, `serve` listens. */
export async function buildApp(deps: AppDeps, options: BuildOptions = {}): Promise<App> {
  const app = Fastify({
    logger: options.logger ?? { level: deps.config.logLevel },
    genReqId: () => newId(),
    requestIdHeader: "x-request-id",
    trustProxy: deps.config.trustProxy,
    ajv: { customOptions: AJV_OPTIONS },
    bodyLimit: 1024 * 1024,
    routerOptions: { ignoreTrailingSlash: true },
  }).withTypeProvider<TypeBoxTypeProvider>();

  const assets = loadAssets();
  app.decorate("deps", deps);
  app.decorate("assets", assets);
  app.decorate("lifecycle", { shuttingDown: false });

  let centreCache: { at: number; centre: CentreTable | undefined } | undefined;
  app.decorate("currentCentre", async () => {
    const now = Date.now();
    if (!centreCache || now - centreCache.at > 30_000) {
      centreCache = { at: now, centre: await loadCurrentCentre(deps.db) };
    }
    return centreCache.centre;
  });
  app.decorate("forgetCurrentCentre", () => {
    centreCache = undefined;
  });

  // Every route must say who may call it; a route that forgets refuses to boot.
  app.addHook("onRoute", (route) => {
    if (route.url.startsWith("/api/docs")) {
      route.config = { ...(route.config ?? {}), access: "public" };
      return;
    }
    if (!route.config?.access)
      throw new Error(`Route ${String(route.method)} ${route.url} declares no access`);
  });

  app.addHook("onSend", async (request, reply) => {
    reply.header("x-request-id", request.id);
  });

  await app.register(cookie);
  await app.register(formbody);
  // Uploads (lead images) arrive as form fields; a file field becomes a Buffer in the body.
  await app.register(multipart, {
    attachFieldsToBody: "keyValues",
    limits: { fileSize: 15 * 1024 * 1024, files: 1, fields: 50, fieldSize: 200 * 1024 },
  });
  await app.register(compress, {
    threshold: 1024,
    encodings: ["br", "gzip"],
    brotliOptions: { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5 } },
  });
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", assets.cssHash],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
      },
    },
    // A centre often serves plain HTTP on its LAN; forcing HTTPS there would break it.
    hsts: false,
    crossOriginResourcePolicy: { policy: "same-origin" },
    referrerPolicy: { policy: "strict-origin-when-cross-origin" },
  });
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_request, context) =>
      new TooManyRequests(Math.max(1, Math.ceil(context.ttl / 1000))),
  });

  registerRequestContext(app);
  app.setErrorHandler(handleError);
  app.setNotFoundHandler(async (request, reply) => sendError(request, reply, 404, "route_not_found"));

  await registerApiDocs(app);
  await registerRoutes(app);
  return app;
}
