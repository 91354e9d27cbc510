import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { sql } from "kysely";
import {
  createDb,
  GIN_PENDING_LIMIT,
  PREPARED_MARK,
  PREPARED_PER_CONNECTION,
  withoutOptions,
} from "../../src/db/connect.ts";
import { DIALECTS, freshDatabase, PG_URL, type TestDatabase } from "../helpers/db.ts";

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

describe("PostgreSQL connections", () => {
  const settings = async (url: string) => {
    const db = createDb({ dialect: "postgres", url });
    try {
      const r = await sql<{ jit: string; gin: string; timeout: string }>`select
        current_setting('jit') as jit, current_setting('gin_pending_list_limit') as gin,
        current_setting('statement_timeout') as timeout`.execute(db);
      return r.rows[0]!;
    } finally {
      await db.destroy();
    }
  };
  const withOptions = (options: string) =>
    `${PG_URL}${PG_URL.includes("?") ? "&" : "?"}options=${encodeURIComponent(options)}`;

  it("run with Rasai's settings", async () => {
    assert.deepEqual(await settings(PG_URL), { jit: "off", gin: GIN_PENDING_LIMIT, timeout: "0" });
  });

  it("keep them when the URL brings options of its own, which come after (and win)", async () => {
    assert.deepEqual(await settings(withOptions("-c statement_timeout=12345")), {
      jit: "off",
      gin: GIN_PENDING_LIMIT,
      timeout: "12345ms",
    });
    assert.equal((await settings(withOptions("-c jit=on"))).jit, "on");
  });

  it("take the options out of the URL and leave the rest of it alone", () => {
    assert.deepEqual(withoutOptions("postgres://u@h:5432/db?host=%2Fvar%2Frun&options=-c%20a%3Db"), {
      url: "postgres://u@h:5432/db?host=%2Fvar%2Frun",
      options: "-c a=b",
    });
    assert.deepEqual(withoutOptions("postgres://u@h:5432/db"), {
      url: "postgres://u@h:5432/db",
      options: null,
    });
  });
});
