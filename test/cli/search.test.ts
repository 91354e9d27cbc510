import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { freshPgUrl, runCli } from "../helpers/cli.ts";
import { tempDir } from "../helpers/db.ts";

describe("rasai search reindex", () => {
  async function check(env: Record<string, string>) {
    assert.equal(runCli(["seed", "--demo"], env).status, 0);
    const run = runCli(["search", "reindex"], env);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /Search index rebuilt: 11 documents\./);
    // Not a terminal: progress comes as plain lines ending at 100%.
    assert.match(run.stderr, /search index \[#{30}\] 100% 11\/11/);
  }

  it("rebuilds the index with progress on SQLite", async () => {
    await check({ RASAI_DATA_DIR: tempDir() });
  });

  it("rebuilds the index with progress on PostgreSQL", async () => {
    const pg = await freshPgUrl();
    try {
      await check({ RASAI_DATA_DIR: tempDir(), DATABASE_URL: pg.url });
    } finally {
      await pg.drop();
    }
  });

  it("explains its usage", () => {
    const bad = runCli(["search", "rebuild"], { RASAI_DATA_DIR: tempDir() });
    assert.equal(bad.status, 64);
    assert.match(bad.stderr, /rasai search reindex/);
    const help = runCli(["search", "--help"], { RASAI_DATA_DIR: tempDir() });
    assert.match(help.stdout, /Rebuilds the search index/);
  });
});
