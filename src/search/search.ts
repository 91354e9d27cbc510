// Search: candidates from the engine (newest matches, and newest matches in title and strap),
// ranked by Rasai's own score so SQLite and PostgreSQL order them the same way.

import type { Clock } from "../db/clock.ts";
import { isPostgres, type Executor } from "../db/connect.ts";
import { engineStats } from "./pgMatch.ts";
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
  EXPIRING_KIND,
  pageRows,
  matchNewest,
  PLACE,
  type CandidateRow,
  type SearchFilters,
} from "./queries.ts";
import { hitTester, SCAN_CHARS, snippet, type Segment } from "./snippet.ts";
import { storedSnippetBits } from "./snippetBits.ts";

/** Candidates read per engine query. Common words stop here; the newest matches win. */
export const CANDIDATE_WINDOW = 100;
const WEIGHT = { title: 3, strap: 2, body: 1 } as const;
/** A body match's quality is not known without reading the body; count it as a middling one. */
const BODY_QUALITY = 0.7;
const ALL_IN_TITLE_BONUS = 1;
const EXPIRED_FACTOR = 0.1;
const TITLE = PLACE.title.charCodeAt(0);
const STRAP = PLACE.strap.charCodeAt(0);

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
  /**
   * The query's words (as typed) that the results were found without, when no document held every
   * word (withFewerWords); empty when every word was searched for.
   */
  leftOut: string[];
  /** Whether the query had any searchable word at all. */
  searchable: boolean;
}

export interface Ranked {
  row: CandidateRow;
  score: number;
  expired: boolean;
}

/** What a term list must contain for the alternative to be in it (lists are space-padded). */
const needleOf = (a: QueryGroup["alternatives"][number]) => (a.prefix ? ` ${a.term}` : ` ${a.term} `);

/** Every alternative's needle, in the order scoreOf reads their places. */
function needlesOf(groups: readonly QueryGroup[]): string[] {
  return groups.flatMap((g) => g.alternatives.map(needleOf));
}

function scoreOf(row: CandidateRow, groups: readonly QueryGroup[], now: string): Ranked {
  // row.places holds a character (PLACE) per alternative, in needlesOf's order.
  let at = 0;
  let score = 0;
  let allInTitle = groups.length > 0;
  for (const g of groups) {
    let best = WEIGHT.body * BODY_QUALITY;
    let inTitle = false;
    for (const a of g.alternatives) {
      const q = QUALITY[a.kind];
      const place = row.places.charCodeAt(at++);
      if (place === TITLE) {
        best = Math.max(best, WEIGHT.title * q);
        inTitle = true;
      } else if (place === STRAP) best = Math.max(best, WEIGHT.strap * q);
    }
    if (!inTitle) allInTitle = false;
    score += best;
  }
  if (allInTitle && groups.length > 1) score += ALL_IN_TITLE_BONUS;
  const expired = row.kind === EXPIRING_KIND && row.expires_at !== null && row.expires_at < now;
  if (expired) score *= EXPIRED_FACTOR;
  return { row, score: Math.round(score * 1000) / 1000, expired };
}

async function candidates(
  db: Executor,
  plan: QueryPlan,
  filters: SearchFilters,
  window: number,
  /** Called with the head list as soon as it comes, while the other may still be running. */
  onHead?: (rows: readonly CandidateRow[]) => void,
): Promise<{ rows: CandidateRow[]; more: boolean }> {
  const match = matchQueryOf(plan.groups);
  const stats = isPostgres(db) ? await engineStats(db, match) : undefined;
  const needles = needlesOf(plan.groups);
  const headList = () =>
    matchNewest(db, match, filters, { headOnly: true, limit: window, needles, stats }).then((rows) => {
      onHead?.(rows);
      return rows;
    });
  const allList = () =>
    matchNewest(db, match, filters, {
      headOnly: false,
      limit: window,
      needles,
      stats,
      // With one query word, where it is in this list's documents is already known. A document
      // here whose title or strap holds it matches the head index too, and no more documents newer
      // than it match there than here (fewer than the window), so it is in the head list, with its
      // places; the rest of this list has the word in its body only. (A document published
      // between the two statements may be ranked as such once.)
      withPlaces: plan.groups.length > 1,
    });
  // Two engine queries; on PostgreSQL they run side by side on two pooled connections, and the
  // one sent first starts ~0.15 ms sooner (building and sending a statement). With one word the
  // head list goes first: it often decides the page on its own (pageFromHead). With several it
  // seldom does, and the all-terms list, the slower, is what the page waits for.
  const [headRows, allRows] =
    plan.groups.length === 1
      ? await Promise.all([headList(), allList()])
      : await Promise.all([allList(), headList()]).then(([all, head]) => [head, all] as const);
  // A document in both lists keeps the head list's row: the other may not say where its words are.
  const rows = [...new Map([...allRows, ...headRows].map((r) => [Number(r.doc_key), r])).values()];
  return { rows, more: headRows.length === window || allRows.length === window };
}

function rank(rows: readonly CandidateRow[], plan: QueryPlan, now: string): Ranked[] {
  const ranked = rows.map((r) => scoreOf(r, plan.groups, now));
  // Only very common words: the score says little, so the newest come first.
  const byScore = plan.onlyStopWords ? () => 0 : (a: Ranked, b: Ranked) => b.score - a.score;
  return ranked.sort((a, b) => byScore(a, b) || Number(b.row.doc_key) - Number(a.row.doc_key));
}

/**
 * The most a document outside the head list can score (scoreOf): it is in the other list, so at
 * least one query word is in neither its title nor its strap (see pageFromHead), and that word
 * counts as a body match; every other word at most as an exact match in the title. No bonus.
 */
function outsideHeadBound(groups: number): number {
  return WEIGHT.title * QUALITY.exact * (groups - 1) + WEIGHT.body * BODY_QUALITY;
}

/**
 * The page, when the head list alone decides it. A document in the other list but not in this
 * one does not have every query word in its title or strap: if it had, it would match the head
 * index, and fewer documents newer than it match there than in the other list (fewer than the
 * window), so it would be in this list. It scores outsideHeadBound at most; a head document
 * scoring more outranks them all, so a page of such documents is the same whatever else the
 * other list brings. Null when it may not be (too few, or a score that low). The caller still
 * checks the page against the final ranking.
 */
export function pageFromHead(
  head: readonly CandidateRow[],
  plan: QueryPlan,
  now: string,
  input: SearchInput,
): Ranked[] | null {
  if (plan.groups.length === 0 || plan.onlyStopWords) return null;
  const ranked = rank(head, plan, now);
  if (ranked.length < input.offset + input.limit) return null;
  const page = ranked.slice(input.offset, input.offset + input.limit);
  const bound = outsideHeadBound(plan.groups.length);
  return page.every((r) => r.score > bound) ? page : null;
}

/** The page's documents, with their snippets. */
async function hitsOf(db: Executor, page: readonly Ranked[], plan: QueryPlan): Promise<SearchHit[]> {
  const shown = await pageRows(
    db,
    page.map((r) => Number(r.row.doc_key)),
    { body: true, bodyChars: SCAN_CHARS },
  );
  const isHit = hitTester(plan.groups);
  return page.flatMap(({ row, score, expired }): SearchHit[] => {
    const doc = shown.get(Number(row.doc_key));
    // Gone between the two reads (unpublished a moment ago): leave it out.
    if (!doc) return [];
    const fromBody = snippet(doc.body_text ?? "", isHit, () => storedSnippetBits(doc.snippet_bits));
    const useStrap = !fromBody.some((s) => s.hit) && doc.strap.trim() !== "";
    return [
      {
        id: doc.id,
        kind: doc.kind,
        lang: doc.lang,
        centreId: doc.centre_id,
        title: doc.title,
        path: doc.path,
        publishedAt: doc.published_at,
        expired,
        score,
        snippet: useStrap ? snippet(doc.strap, isHit) : fromBody,
      },
    ];
  });
}

const sameKeys = (a: readonly Ranked[], b: readonly Ranked[]) =>
  a.length === b.length && a.every((r, i) => Number(r.row.doc_key) === Number(b[i]!.row.doc_key));

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
    return { results: [], total: 0, more: false, correctedQuery: null, leftOut: [], searchable: false };
  }
  const now = clock.now().toISOString();
  // When the head list decides the page, its documents are read (and their snippets made) while
  // the other list is still running; the other list then only counts.
  const early: { plan: QueryPlan; page: Ranked[]; hits: Promise<SearchHit[]> }[] = [];
  const onHead = (p: QueryPlan) => (head: readonly CandidateRow[]) => {
    const page = pageFromHead(head, p, now, input);
    if (!page) return;
    const hits = hitsOf(db, page, p);
    // Awaited below, or dropped if the page turns out otherwise (it cannot): never unhandled.
    hits.catch(() => {});
    early.push({ plan: p, page, hits });
  };
  let found = await candidates(db, plan, filters, CANDIDATE_WINDOW, onHead(plan));
  let correctedQuery: string | null = null;
  let leftOut: string[] = [];
  if (found.rows.length === 0) {
    const fuzzy = await withTypoCorrection(db, plan);
    let words = plan.groups.map((g) => g.token.surface);
    if (fuzzy) {
      const retry = await candidates(db, fuzzy.plan, filters, CANDIDATE_WINDOW, onHead(fuzzy.plan));
      if (retry.rows.length > 0) {
        [plan, found, correctedQuery] = [fuzzy.plan, retry, fuzzy.corrected.join(" ")];
      } else [plan, words] = [fuzzy.plan, fuzzy.corrected];
    }
    const fewer = found.rows.length === 0 ? await withFewerWords(db, plan, filters, onHead) : null;
    if (fewer) {
      const kept = new Set(fewer.plan.groups);
      leftOut = plan.groups.filter((g) => !kept.has(g)).map((g) => g.token.surface);
      // The words searched for, as corrected, when a correction is among them.
      const searched = plan.groups.flatMap((g, i) => (kept.has(g) ? [words[i]!] : []));
      const typed = fewer.plan.groups.map((g) => g.token.surface);
      if (searched.some((w, i) => w !== typed[i])) correctedQuery = searched.join(" ");
      [plan, found] = [fewer.plan, fewer.found];
    }
  }
  const ranked = rank(found.rows, plan, now);
  const page = ranked.slice(input.offset, input.offset + input.limit);
  // Made for this plan: another's (a correction, fewer words) highlights other words.
  const made = early.find((e) => e.plan === plan && sameKeys(e.page, page));
  const results = made ? await made.hits : await hitsOf(db, page, plan);
  return { results, total: ranked.length, more: found.more, correctedQuery, leftOut, searchable: true };
}

/**
 * When no document holds every word of a query of several, a search for fewer: the largest set of
 * its words that some document holds together, and of those, the set the most documents hold (a
 * tie: the set with the earlier words). A citizen types "shanakhti card kahan" (where), or "how to
 * renew shanakhti card", and the article has only some of those words. Which words a document
 * holds is read from each word's newest CANDIDATE_WINDOW matches, so an older document is not
 * credited with a common word; common words tell least. Null when no document holds any of the
 * words, or the query has one word.
 */
async function withFewerWords(
  db: Executor,
  plan: QueryPlan,
  filters: SearchFilters,
  onHead: (p: QueryPlan) => (head: readonly CandidateRow[]) => void,
): Promise<{ plan: QueryPlan; found: Awaited<ReturnType<typeof candidates>> } | null> {
  const n = plan.groups.length;
  if (n < 2) return null;
  const holding = await Promise.all(plan.groups.map((g) => documentsHolding(db, g, filters)));
  // Each document's words, as a bit per group (MAX_WORDS of them at most).
  const words = new Map<number, number>();
  holding.forEach((keys, i) => {
    for (const key of keys) words.set(key, (words.get(key) ?? 0) | (1 << i));
  });
  const documents = new Map<number, number>();
  for (const set of words.values()) documents.set(set, (documents.get(set) ?? 0) + 1);
  const sets = [...documents.keys()];
  // The documents holding every word of a set, and maybe more.
  const held = (set: number) => sets.reduce((sum, s) => sum + ((s & set) === set ? documents.get(s)! : 0), 0);
  const size = (set: number) => plan.groups.reduce((c, _, i) => c + ((set >> i) & 1), 0);
  // The earlier words first: the set whose lowest differing bit it has.
  const earlier = (a: number, b: number) => {
    const differ = a ^ b;
    return (a & differ & -differ) !== 0 ? -1 : 1;
  };
  const best = sets
    .map((set) => ({ set, size: size(set), held: held(set) }))
    .sort((a, b) => b.size - a.size || b.held - a.held || earlier(a.set, b.set))[0];
  if (!best || best.size === n) return null;
  const fewer = { ...plan, groups: plan.groups.filter((_, i) => (best.set >> i) & 1) };
  const found = await candidates(db, fewer, filters, CANDIDATE_WINDOW, onHead(fewer));
  return found.rows.length > 0 ? { plan: fewer, found } : null;
}

/** The keys of the newest CANDIDATE_WINDOW documents that hold one of a group's alternatives. */
async function documentsHolding(db: Executor, group: QueryGroup, filters: SearchFilters): Promise<number[]> {
  const match = matchQueryOf([group]);
  const stats = isPostgres(db) ? await engineStats(db, match) : undefined;
  const rows = await matchNewest(db, match, filters, {
    headOnly: false,
    limit: CANDIDATE_WINDOW,
    needles: [],
    stats,
    withPlaces: false,
  });
  return rows.map((r) => Number(r.doc_key));
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
  const match = matchQueryOf(plan.groups);
  const rows = await matchNewest(db, match, filters, {
    headOnly: true,
    limit: SUGGESTION_WINDOW,
    needles: needlesOf(plan.groups),
    stats: isPostgres(db) ? await engineStats(db, match) : undefined,
  });
  const top = rank(rows, plan, clock.now().toISOString()).slice(0, limit);
  const shown = await pageRows(
    db,
    top.map((r) => Number(r.row.doc_key)),
    { body: false },
  );
  return top.flatMap(({ row }) => {
    const doc = shown.get(Number(row.doc_key));
    return doc ? [{ title: doc.title, path: doc.path, lang: doc.lang }] : [];
  });
}
