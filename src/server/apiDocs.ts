import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import type { FastifyInstance } from "fastify";

/**
 * The OpenAPI 3 document is generated from the same TypeBox schemas that validate each
 * /api/v1 route; HTML pages are left out. Swagger UI's files come from our own server.
 */
export async function registerApiDocs(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: "3.0.3",
      info: {
        title: "Rasai API",
        version: "1",
        description:
          "JSON API of Rasai, the platform of Information Access Centres. Every error has the shape " +
          '{ "error": { "code", "message", "fields": [{ "path", "code", "message" }] } }, with messages in the ' +
          "request's language (Accept-Language: ur or en). Signed-in calls use the staff session cookie.",
      },
      components: {
        securitySchemes: { staffSession: { type: "apiKey", in: "cookie", name: "rasai_staff" } },
      },
    },
    transform: ({ schema, url }) => {
      const s = (schema ?? {}) as Record<string, unknown>;
      if (!url.startsWith("/api/v1")) return { schema: { ...s, hide: true } as typeof schema, url };
      return { schema, url };
    },
  });
  await app.register(swaggerUi, { routePrefix: "/api/docs", staticCSP: false });
  app.get("/api/openapi.json", { config: { access: "public" }, schema: { hide: true } }, async () =>
    app.swagger(),
  );
}
