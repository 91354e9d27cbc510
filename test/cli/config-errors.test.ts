import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { runCli } from "../helpers/cli.ts";
import { tempDir } from "../helpers/db.ts";

function assertOneClearLine(r: { status: number | null; stderr: string; stdout: string }, needle: RegExp) {
  assert.notEqual(r.status, 0, "exits non-zero");
  const lines = r.stderr
    .trim()
    .split("\n")
    .filter((l) => !l.includes("ExperimentalWarning"));
  assert.equal(lines.length, 1, `one line, got: ${r.stderr.slice(0, 400)}`);
  assert.match(lines[0]!, /^rasai: /);
  assert.match(lines[0]!, needle);
  assert.ok(!/\n\s+at /.test(r.stderr), "no stack trace");
}

describe("start-up errors a person can fix", () => {
  it("a DATABASE_URL it does not understand", () => {
    const r = runCli(["serve"], { RASAI_DATA_DIR: tempDir(), DATABASE_URL: "mysql://root@localhost/rasai" });
    assertOneClearLine(r, /DATABASE_URL.*postgres:\/\//);
    assert.equal(r.status, 2);
  });

  it("a PostgreSQL server that is not there", () => {
    const r = runCli(["serve"], {
      RASAI_DATA_DIR: tempDir(),
      DATABASE_URL: "postgres://postgres@127.0.0.1:1/rasai",
    });
    assertOneClearLine(r, /Cannot connect to PostgreSQL at 127\.0\.0\.1:1\/rasai: connection refused/);
  });

  it("a PostgreSQL database that does not exist", () => {
    const r = runCli(["serve"], {
      RASAI_DATA_DIR: tempDir(),
      DATABASE_URL: "postgres://postgres@127.0.0.1:5432/no_such_db_rasai",
    });
    assertOneClearLine(r, /does not exist/);
  });

  it("a PORT that is not a port", () => {
    const r = runCli(["serve"], { RASAI_DATA_DIR: tempDir(), PORT: "http" });
    assertOneClearLine(r, /PORT/);
    assert.equal(r.status, 2);
  });

  it("a data folder that cannot be written", () => {
    const file = path.join(tempDir(), "not-a-folder");
    fs.writeFileSync(file, "");
    const r = runCli(["serve"], { RASAI_DATA_DIR: path.join(file, "data") });
    assertOneClearLine(r, /data folder .* cannot be written.*RASAI_DATA_DIR/);
  });

  it("an unknown command or option", () => {
    assertOneClearLine(runCli(["fly"], { RASAI_DATA_DIR: tempDir() }), /Unknown command "fly"/);
    assertOneClearLine(runCli(["serve", "--colour"], { RASAI_DATA_DIR: tempDir() }), /colour/);
  });

  it("prints help for every command", () => {
    for (const cmd of [[], ["serve"], ["migrate"], ["seed"], ["centre"], ["user"], ["backup"], ["restore"]]) {
      const r = runCli([...cmd, "--help"], {});
      assert.equal(r.status, 0);
      assert.match(r.stdout, /Usage/);
    }
  });
});
