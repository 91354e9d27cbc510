import assert from "node:assert/strict";
import net from "node:net";
import { describe, it } from "node:test";
import path from "node:path";
import { createDb, type Db } from "../../src/db/connect.ts";
import { getSetting } from "../../src/centres/queries.ts";
import { newId } from "../../src/db/ids.ts";
import { sql } from "kysely";
import { setBulkIndexing } from "../../src/search/maintenance.ts";
import { INDEX_ANALYSIS } from "../../src/search/reindex.ts";
import { freshPgUrl, runCli, startServer } from "../helpers/cli.ts";
import { tempDir } from "../helpers/db.ts";
import { waitFor } from "../helpers/wait.ts";
import { fts5Automerge } from "../helpers/fts5.ts";

/** Waits until a server's output says what is looked for (at most a minute). */
async function waitToSay(output: () => string, pattern: RegExp): Promise<void> {
  await waitFor(
    () => `${pattern} in: ${output().slice(-500)}`,
    () => pattern.test(output()),
    60_000,
  );
}

/** The search index's analysis record (reindex.ts, INDEX_ANALYSIS), as an upgrade may lack it. */
const ANALYSIS_SETTING = "search.index_analysis";
const forgetIndexAnalysis = (db: Db) =>
  sql`delete from instance_settings where key = ${ANALYSIS_SETTING}`.execute(db);

const SEED_TITLE = "جنوبی کوریا کا پاکستان میں انفارمیشن ایکسیس سنٹر کے قیام کا عندیہ";

async function bootAndCheck(env: Record<string, string>) {
  const first = await startServer(env);
  try {
    assert.match(
      first.stdout(),
      /username: admin\n\s+password: \S+/,
      "the admin password is printed at first start",
    );
    assert.equal((await fetch(`${first.url}/healthz`)).status, 200);
    assert.equal((await fetch(`${first.url}/readyz`)).status, 200);
    const home = await (await fetch(`${first.url}/ur`)).text();
    assert.ok(home.includes(SEED_TITLE), "seed article listed on the home page");
  } finally {
    assert.equal(await first.stop(), 0, "SIGTERM exits cleanly");
  }
  const second = await startServer(env);
  try {
    assert.ok(!second.stdout().includes("password:"), "credentials are printed once only");
    const home = await (await fetch(`${second.url}/ur`)).text();
    assert.equal(home.split(SEED_TITLE).length - 1, 1, "seeded once: the article is listed once");
  } finally {
    await second.stop();
  }
}

describe("rasai serve", () => {
  it("boots on SQLite under the data folder, seeds once, and reuses the data", async () => {
    await bootAndCheck({ RASAI_DATA_DIR: tempDir() });
  });

  it("boots on PostgreSQL with DATABASE_URL, seeds once, and reuses the data", async () => {
    const pg = await freshPgUrl();
    try {
      await bootAndCheck({ RASAI_DATA_DIR: tempDir(), DATABASE_URL: pg.url });
    } finally {
      await pg.drop();
    }
  });

  it("turns FTS5's merging back on after a bulk load that was killed outright", async () => {
    const dataDir = tempDir();
    await (await startServer({ RASAI_DATA_DIR: dataDir })).stop();
    // What a rebuild stopped by kill -9 or a power cut leaves: merging off, stored in the index.
    const db = createDb({ dialect: "sqlite", file: path.join(dataDir, "rasai.sqlite") });
    try {
      await setBulkIndexing(db, true);
      assert.deepEqual(await fts5Automerge(db), [0, 0]);
      const s = await startServer({ RASAI_DATA_DIR: dataDir });
      try {
        assert.match(s.stderr(), /bulk load had been stopped by force/);
        assert.deepEqual(await fts5Automerge(db), [4, 4]);
      } finally {
        await s.stop();
      }
      const again = await startServer({ RASAI_DATA_DIR: dataDir });
      await again.stop();
      assert.doesNotMatch(again.stderr(), /stopped by force/, "said only when it was off");
    } finally {
      await db.destroy();
    }
  });

  it("builds the search index again at start when an older Rasai analysed it, and only then", async () => {
    const dataDir = tempDir();
    const first = await startServer({ RASAI_DATA_DIR: dataDir });
    await first.stop();
    assert.doesNotMatch(first.stderr(), /building the index/, "the demo was indexed by this analysis");
    // What an upgrade finds: documents indexed before the analysis was recorded.
    const db = createDb({ dialect: "sqlite", file: path.join(dataDir, "rasai.sqlite") });
    try {
      await forgetIndexAnalysis(db);
      const s = await startServer({ RASAI_DATA_DIR: dataDir });
      await waitToSay(s.stderr, /Search: the index is built \(\d+ documents\)/);
      await s.stop();
      assert.match(s.stderr(), /Search: building the index/);
      assert.match(s.stderr(), /search index .*100%/);
      assert.equal(await getSetting(db, ANALYSIS_SETTING), INDEX_ANALYSIS);
      const again = await startServer({ RASAI_DATA_DIR: dataDir });
      await again.stop();
      assert.doesNotMatch(again.stderr(), /building the index/, "once");
    } finally {
      await db.destroy();
    }
  });

  it("serves while it builds the index, and a stop during the build leaves it for the next start", async () => {
    const dataDir = tempDir();
    await (await startServer({ RASAI_DATA_DIR: dataDir })).stop();
    const db = createDb({ dialect: "sqlite", file: path.join(dataDir, "rasai.sqlite") });
    try {
      // Enough articles for a build of a few seconds, then an upgrade's missing analysis record.
      const seed = await db
        .selectFrom("articles")
        .selectAll()
        .where("status", "=", "published")
        .executeTakeFirstOrThrow();
      for (let b = 0; b < 60; b++) {
        const rows = Array.from({ length: 100 }, (_, i) => {
          const n = b * 100 + i;
          return {
            ...seed,
            id: newId(),
            short_id: `t${n.toString(36).padStart(6, "0")}`,
            slug: `copy-${n}`,
            // Keys are publication milliseconds: a thousand articles published in the same one
            // have no keys left.
            published_at: new Date(Date.parse(seed.published_at!) - (n + 1) * 60_000).toISOString(),
            translation_group: null,
            source_key: null,
          };
        });
        for (let i = 0; i < rows.length; i += 25)
          await db
            .insertInto("articles")
            .values(rows.slice(i, i + 25))
            .execute();
      }
      await forgetIndexAnalysis(db);
      const s = await startServer({ RASAI_DATA_DIR: dataDir });
      // Serving already: pages and searches answer while the build goes on.
      assert.equal((await fetch(`${s.url}/healthz`)).status, 200);
      assert.equal((await fetch(`${s.url}/ur/search?q=${encodeURIComponent("کمپیوٹر")}`)).status, 200);
      assert.doesNotMatch(s.stderr(), /the index is built/, "still building when the pages answered");
      assert.equal(await s.stop(), 0, `stops cleanly in the middle of the build: ${s.stderr().slice(-1500)}`);
      assert.match(s.stderr(), /Search: building the index/);
      assert.match(s.stderr(), /the index build stopped with the server/);
      assert.doesNotMatch(s.stderr(), /the index is built|build failed/);
      assert.equal(await getSetting(db, ANALYSIS_SETTING), undefined, "not marked as built");
      const again = await startServer({ RASAI_DATA_DIR: dataDir });
      try {
        await waitToSay(again.stderr, /Search: the index is built \((\d+) documents\)/);
        const built = /the index is built \((\d+) documents\)/.exec(again.stderr())!;
        assert.ok(Number(built[1]) > 6000, built[0]);
        assert.doesNotMatch(again.stderr(), /build failed/);
      } finally {
        await again.stop();
      }
    } finally {
      await db.destroy();
    }
  });

  it("boots in hq mode with a centre chooser", async () => {
    const s = await startServer({ RASAI_DATA_DIR: tempDir(), RASAI_MODE: "hq" });
    try {
      assert.match(s.stdout(), /hq mode/);
      const home = await (await fetch(`${s.url}/en`)).text();
      assert.ok(home.includes('name="code"'), "centre chooser");
    } finally {
      await s.stop();
    }
  });

  it("finishes a request in flight when told to stop", async () => {
    const s = await startServer({ RASAI_DATA_DIR: tempDir() });
    const url = new URL(s.url);
    const socket = net.connect(Number(url.port), url.hostname);
    await new Promise((r) => socket.once("connect", r));
    let answer = "";
    socket.on("data", (d) => (answer += d));
    const closed = new Promise((r) => socket.once("close", r));
    const body = "username=x&password=y";
    // Send the head and half the body, then ask the server to stop, then finish the body.
    socket.write(
      `POST /api/v1/auth/login HTTP/1.1\r\nHost: ${url.host}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\nuser`,
    );
    await new Promise((r) => setTimeout(r, 200));
    const exit = s.stop();
    await new Promise((r) => setTimeout(r, 300));
    socket.write(body.slice(4));
    await closed;
    assert.match(answer, /^HTTP\/1\.1 \d{3}/, "the request in flight got its answer");
    assert.equal(await exit, 0);
  });

  it("runs migrate, seed, centre and user commands against the same data", () => {
    const env = { RASAI_DATA_DIR: tempDir() };
    assert.equal(runCli(["migrate"], env).status, 0);
    assert.match(runCli(["migrate"], env).stdout, /up to date/);
    const seed1 = runCli(["seed", "--demo"], env);
    assert.equal(seed1.status, 0, seed1.stderr);
    assert.match(seed1.stdout, /Added 11 demo article/);
    assert.match(runCli(["seed", "--demo"], env).stdout, /already there/);
    const create = runCli(
      [
        "centre",
        "create",
        "--code",
        "LHR-01",
        "--name-ur",
        "لاہور",
        "--name-en",
        "Lahore",
        "--district",
        "Lahore",
        "--province",
        "punjab",
        "--address",
        "Mall Road",
      ],
      env,
    );
    assert.equal(create.status, 0, create.stderr);
    const bad = runCli(["centre", "create", "--code", "lhr 2", "--name-en", "x"], env);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /--code: Code: This is not in the right format/);
    assert.match(bad.stderr, /--name-ur: Name in Urdu: This field is required/);
    assert.equal(runCli(["centre", "set", "LHR-01", "--phone", "+92 42 111", "--current"], env).status, 0);
    assert.match(runCli(["centre", "list"], env).stdout, /LHR-01\tLahore/);
    const user = runCli(
      ["user", "create", "--username", "ayesha", "--role", "centre_manager", "--centre", "LHR-01"],
      env,
    );
    assert.equal(user.status, 0, user.stderr);
    assert.match(user.stdout, /Password \(shown once\): \S+/);
    assert.equal(
      runCli(["user", "create", "--username", "ayesha", "--role", "staff", "--centre", "LHR-01"], env).status,
      1,
    );
    assert.equal(runCli(["user", "create", "--username", "x", "--role", "staff"], env).status, 64);
    const reset = runCli(["user", "reset-password", "ayesha", "--password", "a long new password"], env);
    assert.equal(reset.status, 0, reset.stderr);
    assert.match(runCli(["user", "reset-password", "nobody"], env).stderr, /No such staff account/);
  });
});
