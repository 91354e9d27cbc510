import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { freshPgUrl, runCli } from "../helpers/cli.ts";
import { tempDir } from "../helpers/db.ts";

describe("rasai search reindex and merge", () => {
  async function check(env: Record<string, string>) {
    assert.equal(runCli(["seed", "--demo"], env).status, 0);
    const run = runCli(["search", "reindex"], env);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /Search index rebuilt: 11 documents\./);
    // Not a terminal: progress comes as plain lines ending at 100%.
    assert.match(run.stderr, /search index \[#{30}\] 100% 11\/11/);
    // merge: whatever the rebuild left, the second run finds the index in one piece.
    const merge = runCli(["search", "merge"], env);
    assert.equal(merge.status, 0, merge.stderr);
    assert.match(
      merge.stdout,
      /^Search index (merged: \d+ (merge step|pending page)s? in \d+\.\d s|already in one piece)\.$/m,
    );
    const again = runCli(["search", "merge"], env);
    assert.equal(again.status, 0, again.stderr);
    assert.match(again.stdout, /Search index already in one piece\./);
  }

  it("rebuilds the index with progress, and merges it, on SQLite", async () => {
    await check({ RASAI_DATA_DIR: tempDir() });
  });

  it("rebuilds the index with progress, and merges it, on PostgreSQL", async () => {
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
    assert.match(bad.stderr, /rasai search reindex\|merge/);
    const help = runCli(["search", "--help"], { RASAI_DATA_DIR: tempDir() });
    assert.match(help.stdout, /reindex rebuilds the search index/);
    assert.match(help.stdout, /merge puts the index back in one piece/);
  });
});
