import { sql, type Kysely } from "kysely";
import { isPostgres } from "../connect.ts";

/**
 * search_documents.snippet_bits: each body word's bits as snippets test them (search/snippetBits.ts),
 * written when a document is indexed. Documents indexed before have none, and their snippets look
 * every word up as before, until `rasai search reindex`.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table search_documents add column snippet_bits ${sql.raw(isPostgres(db) ? "bytea" : "blob")}`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table search_documents drop column snippet_bits`.execute(db);
}
