// An index records which analysis built it (INDEX_ANALYSIS, src/search/reindex.ts), and the
// server's start rebuilds one that an older analysis built. This keeps the date honest: what the
// relevance corpus's documents index as is hashed, and a change to it fails here until the date
// is moved on and the new hash recorded beside it. Only what the corpus holds is seen: a rule for
// words it lacks (a place name no document there has) changes nothing here, and moves the date
// by hand (or brings a document that has them).

import assert from "node:assert/strict";
import crypto from "node:crypto";
import fs from "node:fs";
import { it } from "node:test";
import { analyseDocument } from "../../src/search/analysis.ts";
import { INDEX_ANALYSIS } from "../../src/search/reindex.ts";

const RECORDED = {
  analysis: "2026-12-06",
  digest: "4b9f146da091a5695eecf28e01730fccf7316c9d6d95f4abb91dbb5a53f49b7a",
};

function analysisDigest(): string {
  const corpus = JSON.parse(
    fs.readFileSync(new URL("./fixtures/relevance-corpus.json", import.meta.url), "utf8"),
  ) as { title: string; strap: string; body: string }[];
  const hash = crypto.createHash("sha256");
  for (const d of corpus) {
    const a = analyseDocument({ title: d.title, strap: d.strap, body_text: d.body });
    hash.update(JSON.stringify({ ...a, snippet_bits: Buffer.from(a.snippet_bits).toString("hex") }));
  }
  return hash.digest("hex");
}

it("INDEX_ANALYSIS moves on whenever what a document indexes as changes", () => {
  assert.equal(
    INDEX_ANALYSIS,
    RECORDED.analysis,
    "INDEX_ANALYSIS was moved on: record it here with the digest this test prints",
  );
  const digest = analysisDigest();
  assert.equal(
    digest,
    RECORDED.digest,
    `what documents index as has changed (digest ${digest}): set INDEX_ANALYSIS in ` +
      "src/search/reindex.ts to today's date, so that indexes built before are built again at " +
      "the next start, and record both here",
  );
});
