// Search: candidates from the engine (newest matches, and newest matches in title and strap),
// ranked by Rasai's own score so SQLite and PostgreSQL order them the same way.

import type { Clock } from "../db/clock.ts";
import type { Executor } from "../db/connect.ts";
import {
  matchQueryOf,
  planQuery,
  QUALITY,
  withPrefixTail,
  withTypoCorrection,
  type QueryGroup,
  type QueryPlan,
} from "./plan.ts";
import {
  bodiesOf,
  candidateRows,
  matchNewestKeys,
  vocabularyFrequencies,
  type CandidateRow,
  type SearchFilters,
} from "./queries.ts";
import { hitTester, snippet, type Segment } from "./snippet.ts";

/** Candidates read per engine query. Common words stop here; the newest matches win. */
export const CANDIDATE_WINDOW = 100;
const WEIGHT = { title: 3, strap: 2, body: 1 } as const;
/** A body match's quality is not known without reading the body; count it as a middling one. */
const BODY_QUALITY = 0.7;
const ALL_IN_TITLE_BONUS = 1;
const EXPIRED_FACTOR = 0.1;

export interface SearchInput extends SearchFilters {
  q: string;
  limit: number;
  offset: number;
}

export interface SearchHit {
  id: string;
  kind: string;
  lang: string;
  centreId: string | null;
  title: string;
  path: string;
  publishedAt: string;
  expired: boolean;
  score: number;
  snippet: Segment[];
}

export interface SearchOutcome {
  results: SearchHit[];
  /** Results that can be paged through. */
  total: number;
  /** True when more documents matched than the ranking window holds. */
  more: boolean;
  /** Set when nothing matched as typed and typo correction found these words instead. */
  correctedQuery: string | null;
  /** Whether the query had any searchable word at all. */
  searchable: boolean;
}

interface Ranked {
  row: CandidateRow;
  score: number;
  expired: boolean;
}

function scoreOf(row: CandidateRow, groups: readonly QueryGroup[], now: string): Ranked {
  // Space-padded term lists: a substring test is cheaper than building sets for every candidate.
  const title = ` ${row.title_terms} `;
  const strap = ` ${row.strap_terms} `;
  const has = (terms: string, a: QueryGroup["alternatives"][number]) =>
    terms.includes(a.prefix ? ` ${a.term}` : ` ${a.term} `);
  let score = 0;
  let allInTitle = groups.length > 0;
  for (const g of groups) {
    let best = WEIGHT.body * BODY_QUALITY;
    let inTitle = false;
    for (const a of g.alternatives) {
      const q = QUALITY[a.kind];
      if (has(title, a)) {
        best = Math.max(best, WEIGHT.title * q);
        inTitle = true;
      } else if (has(strap, a)) best = Math.max(best, WEIGHT.strap * q);
    }
    if (!inTitle) allInTitle = false;
    score += best;
  }
  if (allInTitle && groups.length > 1) score += ALL_IN_TITLE_BONUS;
  const expired = row.kind === "notice" && row.expires_at !== null && row.expires_at < now;
  if (expired) score *= EXPIRED_FACTOR;
  return { row, score: Math.round(score * 1000) / 1000, expired };
}

/** Below this many documents a word is rare enough to fetch all its matches and sort them. */
const RARE_DOCS = 2000;

/**
 * Whether some word of the query (as written, or a typo correction of it) is in few documents,
 * judged from the vocabulary's document counts. Words the vocabulary does not know (Roman Urdu,
 * matched by sound) count as not rare.
 */
async function hasRareWord(db: Executor, plan: QueryPlan): Promise<boolean> {
  const words = plan.groups.flatMap((g) => [
    g.token.surface,
    ...g.alternatives.filter((a) => a.kind === "fuzzy").map((a) => a.term),
  ]);
  const df = await vocabularyFrequencies(db, words);
  return plan.groups.some((g) => {
    const counts = [g.token.surface, ...g.alternatives.filter((a) => a.kind === "fuzzy").map((a) => a.term)]
      .map((w) => df.get(w))
      .filter((n): n is number => n !== undefined);
    return counts.length > 0 && counts.reduce((a, b) => a + b, 0) < RARE_DOCS;
  });
}

async function candidates(
  db: Executor,
  plan: QueryPlan,
  filters: SearchFilters,
  window: number,
): Promise<{ rows: CandidateRow[]; more: boolean }> {
  const match = matchQueryOf(plan.groups);
  const rare = await hasRareWord(db, plan);
  const head = await matchNewestKeys(db, match, filters, { headOnly: true, limit: window, rare });
  const all = await matchNewestKeys(db, match, filters, { headOnly: false, limit: window, rare });
  const rows = await candidateRows(db, [...new Set([...head, ...all])]);
  return { rows, more: head.length === window || all.length === window };
}

function rank(rows: readonly CandidateRow[], plan: QueryPlan, now: string): Ranked[] {
  const ranked = rows.map((r) => scoreOf(r, plan.groups, now));
  // Only very common words: the score says little, so the newest come first.
  const byScore = plan.onlyStopWords ? () => 0 : (a: Ranked, b: Ranked) => b.score - a.score;
  return ranked.sort((a, b) => byScore(a, b) || Number(b.row.doc_key) - Number(a.row.doc_key));
}

export async function search(db: Executor, input: SearchInput, clock: Clock): Promise<SearchOutcome> {
  const filters: SearchFilters = {
    kind: input.kind,
    lang: input.lang,
    centreId: input.centreId,
    from: input.from,
    to: input.to,
  };
  let plan = planQuery(input.q);
  if (plan.groups.length === 0) {
    return { results: [], total: 0, more: false, correctedQuery: null, searchable: false };
  }
  let found = await candidates(db, plan, filters, CANDIDATE_WINDOW);
  let correctedQuery: string | null = null;
  if (found.rows.length === 0) {
    const fuzzy = await withTypoCorrection(db, plan);
    if (fuzzy) {
      const retry = await candidates(db, fuzzy.plan, filters, CANDIDATE_WINDOW);
      if (retry.rows.length > 0) {
        [plan, found, correctedQuery] = [fuzzy.plan, retry, fuzzy.corrected];
      }
    }
  }
  const now = clock.now().toISOString();
  const ranked = rank(found.rows, plan, now);
  const page = ranked.slice(input.offset, input.offset + input.limit);
  const bodies = await bodiesOf(
    db,
    page.map((r) => Number(r.row.doc_key)),
  );
  const isHit = hitTester(plan.groups);
  const results = page.map(({ row, score, expired }): SearchHit => {
    const body = bodies.get(Number(row.doc_key)) ?? "";
    const fromBody = snippet(body, isHit);
    const useStrap = !fromBody.some((s) => s.hit) && row.strap.trim() !== "";
    return {
      id: row.id,
      kind: row.kind,
      lang: row.lang,
      centreId: row.centre_id,
      title: row.title,
      path: row.path,
      publishedAt: row.published_at,
      expired,
      score,
      snippet: useStrap ? snippet(row.strap, isHit) : fromBody,
    };
  });
  return { results, total: ranked.length, more: found.more, correctedQuery, searchable: true };
}

export interface Suggestion {
  title: string;
  path: string;
  lang: string;
}

const SUGGESTION_WINDOW = 40;

/** Titles for the words typed so far, the last word taken as the start of a word. */
export async function suggest(
  db: Executor,
  q: string,
  filters: SearchFilters,
  limit: number,
  clock: Clock,
): Promise<Suggestion[]> {
  const plan = withPrefixTail(planQuery(q));
  if (plan.groups.length === 0) return [];
  const keys = await matchNewestKeys(db, matchQueryOf(plan.groups), filters, {
    headOnly: true,
    limit: SUGGESTION_WINDOW,
  });
  const rows = await candidateRows(db, keys);
  return rank(rows, plan, clock.now().toISOString())
    .slice(0, limit)
    .map(({ row }) => ({ title: row.title, path: row.path, lang: row.lang }));
}
