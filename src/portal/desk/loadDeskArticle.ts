import type { FastifyRequest } from "fastify";
import type { Executor } from "../../db/connect.ts";
import type { ArticleTable } from "../../db/schema.ts";
import { NotFound } from "../../server/errors.ts";
import { assertMay, mayViewOnDesk } from "../policy.ts";
import { findArticleById } from "../queries.ts";

/** An article the signed-in staff member may see on the desk; 404 or 403 otherwise. */
export async function loadDeskArticle(
  db: Executor,
  request: FastifyRequest,
  id: string,
): Promise<ArticleTable> {
  const a = await findArticleById(db, id);
  if (!a) throw new NotFound("article");
  assertMay(mayViewOnDesk(request.actor(), a));
  return a;
}
