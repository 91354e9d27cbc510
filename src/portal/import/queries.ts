import { sql } from "kysely";
import type { Executor } from "../../db/connect.ts";
import type { ArticleTable } from "../../db/schema.ts";

/** Live articles with exactly this title in this language: published ones first, then the newest. */
export async function findArticlesByTitle(
  db: Executor,
  lang: "ur" | "en",
  title: string,
): Promise<Pick<ArticleTable, "id" | "short_id">[]> {
  return db
    .selectFrom("articles")
    .select(["id", "short_id"])
    .where("lang", "=", lang)
    .where("title", "=", title)
    .where("deleted_at", "is", null)
    .orderBy(sql`case when status = 'published' then 0 else 1 end`)
    .orderBy(sql`coalesce(published_at, created_at)`, "desc")
    .orderBy("id")
    .limit(10)
    .execute();
}
