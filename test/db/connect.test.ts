import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { sql } from "kysely";
import { PREPARED_MARK, PREPARED_PER_CONNECTION } from "../../src/db/connect.ts";
import { DIALECTS, freshDatabase, type TestDatabase } from "../helpers/db.ts";

const marked = (text: string) => sql.raw(`${PREPARED_MARK} ${text}`);

for (const dialect of DIALECTS) {
  describe(`statements marked to keep prepared [${dialect}]`, () => {
    let t: TestDatabase;
    before(async () => {
      t = await freshDatabase(dialect, { migrate: false });
    });
    after(() => t.drop());

    it("run and give each call's own answer", async () => {
      for (const n of [1, 41, -7]) {
        const r = await sql<{ n: number }>`${marked("select")} cast(${n} as integer) + 1 as n`.execute(t.db);
        assert.equal(Number(r.rows[0]!.n), n + 1);
      }
    });

    if (dialect === "postgres") {
      it("are parsed once per connection, unmarked ones never, and at most a bounded number", async () => {
        await t.db.connection().execute(async (conn) => {
          const kept = async () =>
            (
              await sql<{ statement: string }>`select statement from pg_prepared_statements`.execute(conn)
            ).rows.map((r) => r.statement);
          await sql`${marked("select")} ${1}::integer as once`.execute(conn);
          await sql`${marked("select")} ${2}::integer as once`.execute(conn);
          await sql`select ${3}::integer as unmarked`.execute(conn);
          const first = await kept();
          assert.equal(first.filter((s) => s.includes("as once")).length, 1);
          assert.equal(first.filter((s) => s.includes("unmarked")).length, 0);
          // Past the bound, marked statements still run, unprepared.
          for (let i = 0; i < PREPARED_PER_CONNECTION + 5; i++) {
            const r = await sql<{ n: number }>`${marked(`select ${i} +`)} ${1}::integer as n`.execute(conn);
            assert.equal(Number(r.rows[0]!.n), i + 1);
          }
          const after = await kept();
          assert.equal(after.length, PREPARED_PER_CONNECTION);
        });
      });
    }
  });
}
