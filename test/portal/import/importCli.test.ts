import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import SQLite from "better-sqlite3";
import { runCli } from "../../helpers/cli.ts";
import { tempDir } from "../../helpers/db.ts";
import { fts5Segments } from "../../helpers/fts5.ts";

const exportDir = path.resolve(import.meta.dirname, "../../fixtures/wordpress-export");
const exportFile = path.join(exportDir, "export.xml");
const uploads = path.join(exportDir, "uploads");

function stderrLines(stderr: string): string[] {
  return stderr
    .trim()
    .split("\n")
    .filter((l) => l && !l.includes("ExperimentalWarning") && !l.includes("--trace-warnings"));
}

describe("rasai import (the real command)", () => {
  const env = { RASAI_DATA_DIR: tempDir() };

  it("imports the WordPress export and ends with a summary, exit status 0", () => {
    const r = runCli(["import", "wordpress", exportFile, "--uploads", uploads], env);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^Import finished: 4 added, 0 already there, 0 rejected\.$/m);
    assert.match(r.stdout, /comments: 4 added, 0 already there/);
    assert.doesNotMatch(r.stderr, /rejected |warning:/);
    assert.ok(fs.readdirSync(path.join(env.RASAI_DATA_DIR, "media")).some((f) => f.endsWith(".avif")));
    // An article a transaction, a search-index segment each: merged back into one at the end.
    const file = new SQLite(path.join(env.RASAI_DATA_DIR, "rasai.sqlite"), { readonly: true });
    try {
      for (const table of ["search_fts", "search_head_fts"]) {
        const row = file.prepare(`select block from ${table}_data where id = 10`).get() as {
          block: Uint8Array;
        };
        assert.equal(fts5Segments(row.block), 1, table);
      }
    } finally {
      file.close();
    }
  });

  it("adds nothing the second time", () => {
    const r = runCli(["import", "wordpress", exportFile, "--uploads", uploads], env);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^Import finished: 0 added, 4 already there, 0 rejected\.$/m);
  });

  it("refuses a file with a DOCTYPE in one line, exit status 1", () => {
    const file = path.join(tempDir(), "doctype.xml");
    fs.writeFileSync(file, fs.readFileSync(exportFile, "utf8").replace("<rss", "<!DOCTYPE rss>\n<rss"));
    const r = runCli(["import", "wordpress", file], env);
    assert.equal(r.status, 1);
    const lines = stderrLines(r.stderr);
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0]!, /^rasai: .*doctype\.xml refused: DTDs are not accepted/);
  });

  it("says in one line when the file cannot be read, exit status 1", () => {
    const r = runCli(["import", "articles", "/nonexistent/articles.jsonl"], env);
    assert.equal(r.status, 1);
    assert.deepEqual(stderrLines(r.stderr), [
      "rasai: Cannot read the file /nonexistent/articles.jsonl: no such file.",
    ]);
  });

  it("reports a bad JSONL line with its number and reason, and still exits 0", () => {
    const file = path.join(tempDir(), "a.jsonl");
    fs.writeFileSync(
      file,
      `not json\n${JSON.stringify({ language: "en", title: "Fine", body_paragraphs: ["Text."] })}\n`,
    );
    const r = runCli(["import", "articles", file], env);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /rejected line 1: not valid JSON/);
    assert.match(r.stdout, /^Import finished: 1 added, 0 already there, 1 rejected\.$/m);
  });

  it("explains its usage", () => {
    assert.equal(runCli(["import", "drupal", "x"], env).status, 64);
    assert.equal(runCli(["import", "articles", "a.jsonl", "--lang", "ur"], env).status, 64);
    const help = runCli(["import", "--help"], env);
    assert.equal(help.status, 0);
    assert.match(help.stdout, /rasai import wordpress <export\.xml> \[--uploads <dir>\]/);
  });
});
