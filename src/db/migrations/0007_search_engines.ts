import { sql, type Kysely } from "kysely";
import { isPostgres } from "../connect.ts";

/**
 * Search, second shape (measured at 100k documents, see bench/search.ts):
 *
 * PostgreSQL: the two tsvectors move out of search_documents into two narrow tables whose rows
 * hold only the key, the filter columns and one vector. A GIN bitmap scan has to visit the heap
 * once per matching row to learn its doc_key; on the wide table (titles, straps and bodies
 * inline) that was one page read per match — 35 ms for a word in 2% of documents.
 *
 * SQLite: search_fts (every term) drops its prefix indexes. Only suggestions match prefixes and
 * they look at titles and straps (search_head_fts keeps them); the prefix indexes made each
 * insert write every term three times. FTS5 cannot drop them in place and the table keeps no
 * content to copy, so the index is emptied here and rebuilt from the content at the next start
 * (serve does that when the index is empty and content exists; `rasai search reindex` too).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  if (isPostgres(db)) {
    // Like SQLite's two FTS5 tables: title-and-strap terms and all terms, each in its own table,
    // so a GIN match costs a visit to a narrow row. Title and strap: the vector (~400 bytes)
    // stays in the row (storage main), because a walk down the newest documents tests thousands
    // and fetching each from TOAST cost ~40 µs a row. (toast_tuple_target only matters once a row
    // passes PostgreSQL's fixed 2 KB threshold, which about half the all-terms rows do.)
    for (const [table, column, storage] of [
      ["search_vectors", "vec", "extended"],
      ["search_head_vectors", "head_vec", "main"],
    ] as const) {
      await sql`create table ${sql.raw(table)} (
        doc_key bigint primary key references search_documents (doc_key) on delete cascade,
        kind text not null,
        lang text not null,
        centre_id uuid,
        ${sql.raw(column)} tsvector not null
      ) with (toast_tuple_target = 128)`.execute(db);
      await sql`alter table ${sql.raw(table)} alter column ${sql.raw(column)} set storage ${sql.raw(storage)}`.execute(
        db,
      );
      // Testing a vector decompresses it: lz4 does that ~5x faster than the default pglz.
      if (await hasLz4(db)) {
        await sql`alter table ${sql.raw(table)} alter column ${sql.raw(column)} set compression lz4`.execute(
          db,
        );
      }
      // The planner's most-common-lexeme list is also what search reads to choose its strategy.
      await sql`alter table ${sql.raw(table)} alter column ${sql.raw(column)} set statistics 500`.execute(db);
      await sql`insert into ${sql.raw(table)} (doc_key, kind, lang, centre_id, ${sql.raw(column)})
        select doc_key, kind, lang, centre_id, ${sql.raw(column)} from search_documents`.execute(db);
    }
    await sql`drop index search_documents_head_vec`.execute(db);
    await sql`drop index search_documents_vec`.execute(db);
    await sql`alter table search_documents drop column head_vec, drop column vec`.execute(db);
    await sql`create index search_vectors_vec on search_vectors using gin (vec)`.execute(db);
    await sql`create index search_head_vectors_head_vec on search_head_vectors using gin (head_vec)`.execute(
      db,
    );
    await sql`analyze search_vectors`.execute(db);
    await sql`analyze search_head_vectors`.execute(db);
    return;
  }
  await emptySqliteIndex(db);
  await sql`drop table search_fts`.execute(db);
  await sql`create virtual table search_fts using fts5(
    terms, content='', contentless_delete=1, tokenize='ascii', detail='none'
  )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (isPostgres(db)) {
    await sql`alter table search_documents add column head_vec tsvector, add column vec tsvector`.execute(db);
    await sql`update search_documents d set head_vec = h.head_vec, vec = v.vec
      from search_vectors v join search_head_vectors h using (doc_key) where v.doc_key = d.doc_key`.execute(
      db,
    );
    await sql`delete from search_documents where vec is null`.execute(db);
    await sql`alter table search_documents
      alter column head_vec set not null, alter column vec set not null`.execute(db);
    await sql`drop table search_vectors`.execute(db);
    await sql`drop table search_head_vectors`.execute(db);
    await sql`create index search_documents_head_vec on search_documents using gin (head_vec)`.execute(db);
    await sql`create index search_documents_vec on search_documents using gin (vec)`.execute(db);
    return;
  }
  await emptySqliteIndex(db);
  await sql`drop table search_fts`.execute(db);
  await sql`create virtual table search_fts using fts5(
    terms, content='', contentless_delete=1, tokenize='ascii', prefix='2 3', detail='none'
  )`.execute(db);
}

async function hasLz4(db: Kysely<unknown>): Promise<boolean> {
  const r = await sql<{ ok: boolean }>`select exists (
    select 1 from pg_settings where name = 'default_toast_compression' and 'lz4' = any (enumvals)
  ) as ok`.execute(db);
  return r.rows[0]?.ok === true;
}

async function emptySqliteIndex(db: Kysely<unknown>): Promise<void> {
  await sql`insert into search_head_fts (search_head_fts) values ('delete-all')`.execute(db);
  await sql`delete from search_documents`.execute(db);
  await sql`delete from search_vocab`.execute(db);
}
