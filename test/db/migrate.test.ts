import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { sql } from "kysely";
import pg from "pg";
import { migrateToLatest } from "../../src/db/migrate.ts";
import { newId } from "../../src/db/ids.ts";
import { freshDatabase, onBothDatabases, PG_URL } from "../helpers/db.ts";

onBothDatabases("migrations", (get, dialect) => {
  it("creates every table and a second run changes nothing", async () => {
    const { db } = get();
    const again = await migrateToLatest(db);
    assert.equal(again.length, 0);
    const tables =
      dialect === "sqlite"
        ? await sql<{ name: string }>`select name from sqlite_master where type = 'table'`.execute(db)
        : await sql<{
            name: string;
          }>`select table_name as name from information_schema.tables where table_schema = current_schema()`.execute(
            db,
          );
    const names = tables.rows.map((r) => r.name);
    for (const t of [
      "centres",
      "centre_hours_exceptions",
      "staff_users",
      "sessions",
      "audit_log",
      "articles",
      "instance_settings",
    ]) {
      assert.ok(names.includes(t), `${t} missing on ${dialect}`);
    }
  });

  it("compares the search vocabulary's words byte by byte", async () => {
    const { db } = get();
    if (dialect === "postgres") {
      const r = await sql<{ collation: string | null }>`select collation_name as collation
        from information_schema.columns
        where table_schema = current_schema() and table_name = 'search_vocab' and column_name = 'term'`.execute(
        db,
      );
      assert.equal(r.rows[0]?.collation, "C");
    }
    await sql`insert into search_vocab (term, df) values ('b', 1), ('B', 1), ('a', 1), ('ک', 1), ('ك', 1)`.execute(
      db,
    );
    const r = await sql<{ term: string }>`select term from search_vocab
      where term in ('a', 'b', 'B', 'ک', 'ك') order by term`.execute(db);
    assert.deepEqual(
      r.rows.map((x) => x.term),
      ["B", "a", "b", "ك", "ک"],
    );
  });

  it("keeps codes unique among live rows but lets a tombstoned code be reused", async () => {
    const { db } = get();
    const now = new Date().toISOString();
    const row = (id: string) => ({
      id,
      code: "UNIQ-1",
      name_ur: "ا",
      name_en: "a",
      district: "d",
      province: "ict",
      address: "x",
      time_zone: "Asia/Karachi",
      phone: null,
      email: null,
      opening_hours: "{}",
      created_at: now,
      updated_at: now,
      deleted_at: null,
    });
    const first = newId();
    await db.insertInto("centres").values(row(first)).execute();
    await assert.rejects(db.insertInto("centres").values(row(newId())).execute());
    await db.updateTable("centres").set({ deleted_at: now }).where("id", "=", first).execute();
    await db.insertInto("centres").values(row(newId())).execute();
  });

  it("returns timestamps as the same ISO strings on both databases", async () => {
    const { db } = get();
    const id = newId();
    await db
      .insertInto("instance_settings")
      .values({ key: `k-${id}`, value: "v", updated_at: "2026-01-02T03:04:05.678Z" })
      .execute();
    const back = await db
      .selectFrom("instance_settings")
      .select("updated_at")
      .where("key", "=", `k-${id}`)
      .executeTakeFirstOrThrow();
    assert.equal(back.updated_at, "2026-01-02T03:04:05.678Z");
  });
});

// Tests run in several processes against one PostgreSQL database, each in its own schemas,
// creating and dropping them: a migration must not fail because someone else's schema went.
describe("migrations [postgres] while other clients drop their schemas", () => {
  it("runs again and again without failing", async () => {
    const tdb = await freshDatabase("postgres");
    // Three clients each make a schema with a table, commit, and drop it, over and over.
    const churners = await Promise.all(
      [0, 1, 2].map(async () => {
        const c = new pg.Client({ connectionString: PG_URL });
        await c.connect();
        return c;
      }),
    );
    let stop = false;
    const churning = Promise.all(
      churners.map(async (c, n) => {
        for (let i = 0; !stop; i++) {
          const name = `churn_${process.pid}_${n}_${i}`;
          await c.query(`create schema ${name}; create table ${name}.t (a int, b text, c int)`);
          await c.query(`drop schema ${name} cascade`);
        }
      }),
    );
    try {
      for (let i = 0; i < 60; i++) assert.deepEqual(await migrateToLatest(tdb.db), []);
    } finally {
      stop = true;
      await churning;
      await Promise.all(churners.map((c) => c.end()));
      await tdb.drop();
    }
  });
});
