#!/usr/bin/env node
// Finds every *.test.ts under test/ and runs them with node's own test runner through tsx.
// Node 20's --test does not expand globs for .ts files, so the list is built here.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const only = process.argv.slice(2);

function find(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === "fixtures" || e.name === "helpers" ? [] : find(full);
    return e.name.endsWith(".test.ts") || e.name.endsWith(".test.tsx") ? [full] : [];
  });
}

let files = find(path.join(root, "test")).sort();
if (only.length) files = files.filter((f) => only.some((o) => f.includes(o)));
if (files.length === 0) {
  console.error("No test files matched.");
  process.exit(1);
}
const result = spawnSync(
  process.execPath,
  [
    "--import",
    "tsx",
    "--test",
    "--test-reporter=spec",
    "--test-concurrency=2",
    "--test-timeout=600000",
    ...files,
  ],
  {
    stdio: "inherit",
    cwd: root,
    env: { ...process.env, RASAI_LOG_LEVEL: process.env.RASAI_LOG_LEVEL ?? "silent" },
  },
);
process.exit(result.status ?? 1);
