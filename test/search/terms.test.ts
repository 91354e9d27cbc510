import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { deletions, oneEditCandidates, withinOneEdit } from "../../src/search/fuzzy.ts";
import {
  coveredByItsKey,
  forgetWords,
  hotRunTableBits,
  indexTerms,
  TERM_NUMBERING,
  termNumbering,
  isStopWord,
  termsOfToken,
  phoneticTermOf,
  vocabularyWords,
} from "../../src/search/terms.ts";
import {
  analyseAndCount,
  analyseDocument,
  countWords,
  VocabularyCounter,
} from "../../src/search/analysis.ts";
import { matchQueryOf, neighbourKeys, planQuery, withPrefixTail } from "../../src/search/plan.ts";

describe("one-edit neighbourhoods", () => {
  for (const [a, b, near] of [
    ["computer", "computer", true],
    ["computer", "compuer", true], // deletion
    ["computer", "computter", true], // insertion
    ["computer", "conputer", true], // substitution
    ["computer", "comptuer", true], // adjacent swap
    ["computer", "cmoptuer", false], // two swaps
    ["computer", "compute", true],
    ["computer", "comp", false],
    ["کمپیوٹر", "کمپیوٹن", true],
    ["کمپیوٹر", "کمپوٹر", true],
    ["کمپیوٹر", "کمپیٹور", true],
    ["پاکستان", "پاکستانی", true],
    ["پاکستان", "پاکستانیوں", false],
  ] as const) {
    it(`${a} ~ ${b}: ${near}`, () => {
      assert.equal(withinOneEdit(a, b), near);
      assert.equal(withinOneEdit(b, a), near, "symmetric");
      if (near && a !== b) {
        // The deletion-neighbourhood lookup finds every pair within one edit.
        const da = new Set([a, ...deletions(a)]);
        assert.ok(
          [b, ...deletions(b)].some((d) => da.has(d)),
          "the neighbourhoods meet",
        );
      }
    });
  }

  it("one-edit candidates: every string one edit away in the word's script, and nothing else", () => {
    for (const word of ["course", "کمپیوٹر"]) {
      const found = oneEditCandidates(word);
      assert.equal(new Set(found).size, found.length, "distinct");
      assert.ok(!found.includes(word));
      for (const c of found) assert.ok(withinOneEdit(word, c), `${c} is one edit from ${word}`);
      // Every place and every letter of the script, counted from scratch: n deletions at most,
      // n - 1 swaps, (n + 1) x letters insertions and n x (letters - 1) substitutions, less the
      // strings made more than one way.
      const letters = /[a-z]/.test(word) ? [..."abcdefghijklmnopqrstuvwxyz"] : null;
      const chars = [...word];
      const expected = new Set<string>(deletions(word));
      for (let i = 0; i + 1 < chars.length; i++)
        expected.add([...chars.slice(0, i), chars[i + 1], chars[i], ...chars.slice(i + 2)].join(""));
      for (const l of letters ?? [...new Set(found.flatMap((f) => [...f]))].filter((x) => !/[a-z]/.test(x))) {
        for (let i = 0; i <= chars.length; i++) {
          expected.add([...chars.slice(0, i), l, ...chars.slice(i)].join(""));
          if (i < chars.length) expected.add([...chars.slice(0, i), l, ...chars.slice(i + 1)].join(""));
        }
      }
      expected.delete(word);
      assert.deepEqual([...found].sort(), [...expected].sort());
    }
    assert.ok(oneEditCandidates("course").includes("coarse"), "a substitution");
    assert.ok(oneEditCandidates("course").includes("courses"), "an insertion");
    assert.ok(oneEditCandidates("course").includes("cuorse"), "a swap");
    assert.ok(oneEditCandidates("کمپیوٹر").includes("کمپوٹر"), "a deletion");
  });

  it("deletions are by letter, not by UTF-16 unit, and distinct", () => {
    assert.deepEqual(deletions("abca").sort(), ["aba", "abc", "aca", "bca"]);
    assert.deepEqual(deletions("کتاب").sort(), ["تاب", "کاب", "کتا", "کتب"].sort());
  });
});

describe("index terms", () => {
  it("every token gives its normalised form and, when long enough, a phonetic key", () => {
    assert.deepEqual(termsOfToken("computers"), {
      surface: "computers",
      primary: "comput",
      phonetic: "0kmptr",
    });
    assert.equal(termsOfToken("کمپیوٹر").phonetic, "0kmptr", "Urdu script meets English on the key");
    assert.equal(termsOfToken("2020").phonetic, null, "numbers have no sound key");
    assert.equal(termsOfToken("کا").phonetic, null, "a one-consonant key would match half the language");
  });

  it("text is folded before indexing: marks, joiners and Arabic code points never reach the index", () => {
    assert.deepEqual(indexTerms("کِتاب"), indexTerms("کتاب"));
    assert.deepEqual(indexTerms("كتاب"), indexTerms("کتاب"));
    assert.deepEqual(indexTerms("ٹیلی\u200Cکام"), indexTerms("ٹیلی کام"));
    assert.deepEqual(indexTerms("۲۰۲۰"), ["2020"]);
    for (const t of indexTerms("کِتاب، ٹیلی\u200Cکام اور کمپیوٹرز")) {
      assert.doesNotMatch(t, /[\u064B-\u065F\u0670\u0640]|\u200C|\u200D/, t);
    }
  });

  it("the vocabulary keeps words of four letters or more, once, and Urdu-script words' keys", () => {
    assert.deepEqual(vocabularyWords("کمپیوٹر کا کمپیوٹر اور internet 2020 computers تعلیم"), [
      "کمپیوٹر",
      "0kmptr",
      "internet",
      "computers",
      "تعلیم",
      "0tlm",
    ]);
  });

  it("a word's phonetic term is worked out alone as it is for indexing", () => {
    for (const w of [
      "internet",
      "computers",
      "classes",
      "کمپیوٹر",
      "کیلیی",
      "wifi",
      "shanakhti",
      "2020",
      "bus",
      "kal",
    ]) {
      assert.equal(phoneticTermOf(w), termsOfToken(w).phonetic, w);
    }
    assert.equal(phoneticTermOf("2020"), null);
    assert.equal(phoneticTermOf("kal"), null, "a key too short");
  });
});

/** A distinct made-up word for each number, in Latin or Urdu letters. */
function madeUp(i: number, urdu = false): string {
  const letters = urdu ? "بپتٹجچدڈرزسشفکگلمنو" : "bcdfghjklmnpqrstvwz";
  let word = urdu ? "نا" : "za";
  for (let n = i; ; n = Math.floor(n / letters.length)) {
    word += letters[n % letters.length];
    if (n < letters.length) return word;
  }
}

describe("document analysis", () => {
  it("gives the same analyses and word counts when the words it knows are forgotten midway", () => {
    const docs = Array.from({ length: 240 }, (_, i) => ({
      title: `کمپیوٹر کورس ${madeUp(i, true)}`,
      strap: i % 2 ? "نوجوانوں کے لیے مفت کورس" : "",
      body_text: `${madeUp(i * 7)} computing courses، سینٹر اور سنٹر ${madeUp(i * 13, true)} کیلئے ${i} ${madeUp(i % 9)}`,
    }));
    const alone = docs.map(analyseDocument);
    const counter = new VocabularyCounter();
    const counted = docs.map((d, i) => {
      // Every number given to a word before this point means nothing after it.
      if (i % 80 === 40) forgetWords();
      return analyseAndCount(d, counter);
    });
    assert.deepEqual(counted, alone);
    const byWord = (m: Map<string, number>) => [...m].sort(([a], [b]) => (a < b ? -1 : 1));
    assert.deepEqual(byWord(counter.wordCounts()), byWord(countWords(alone.map((a) => a.vocab))));
    assert.equal(counter.wordCounts().get("کمپیوٹر"), 240);
  });

  it("keeps its numbering of words bounded: searches renumber past the limit, a document only before it starts", () => {
    const limit = TERM_NUMBERING.limit;
    TERM_NUMBERING.limit = 1000;
    try {
      const before = termNumbering().epoch;
      // A search box sent made-up words, outside any document's analysis.
      for (let i = 0; i < 5000; i++) termsOfToken(madeUp(500_000 + i));
      assert.ok(termNumbering().size <= 1003, `${termNumbering().size} numbers kept`);
      assert.ok(termNumbering().epoch >= before + 4);
      // A document of 3,000 new words is numbered past the limit, and comes out whole.
      const words = Array.from({ length: 3000 }, (_, i) => madeUp(600_000 + i));
      const doc = analyseDocument({ title: "", strap: "", body_text: words.join(" ") });
      assert.equal(doc.vocab, [...new Set(words.flatMap((w) => vocabularyWords(w)))].join(" "));
      assert.ok(termNumbering().size > 1003);
    } finally {
      TERM_NUMBERING.limit = limit;
    }
  });

  it("a long tail of words, more than are looked up in place, analyses as each word alone", () => {
    // Past twice the first table's 2^16 slots of misses, the table grows; the words stay the same.
    const words = Array.from({ length: 140_000 }, (_, i) => madeUp(i, i % 2 === 0));
    const bits = hotRunTableBits();
    const doc = analyseDocument({ title: "", strap: "", body_text: words.join(" ") });
    assert.ok(bits === 20 || hotRunTableBits() > bits, `${bits} → ${hotRunTableBits()} bits`);
    const distinct = new Set(words.flatMap((w) => indexTerms(w).filter((t) => !coveredByItsKey(t))));
    assert.equal(doc.all_index, [...distinct].join(" "));
    assert.equal(doc.vocab, [...new Set(words.flatMap((w) => vocabularyWords(w)))].join(" "));
  });
});

describe("query plans", () => {
  it("drops very common words beside real ones, and keeps them when they are all there is", () => {
    assert.deepEqual(
      planQuery("کمپیوٹر کے کورس").groups.map((g) => g.token.surface),
      ["کمپیوٹر", "کورس"],
    );
    const only = planQuery("کے کی");
    assert.equal(only.onlyStopWords, true);
    assert.equal(only.groups.length, 1, "کے and کی are one word after folding");
    assert.ok(isStopWord(termsOfToken("the")));
  });

  it("each word becomes its normalised form OR its sound", () => {
    const [group] = planQuery("kampiutar").groups;
    assert.deepEqual(
      group!.alternatives.map((a) => [a.term, a.kind]),
      [
        ["kampiutar", "exact"],
        ["0kmptr", "phonetic"],
      ],
    );
  });

  it("as-you-type, the last word is also a prefix", () => {
    const plan = withPrefixTail(planQuery("computer cour"));
    const last = plan.groups.at(-1)!;
    assert.ok(last.alternatives.every((a) => a.prefix));
    assert.ok(last.alternatives.some((a) => a.term === "cour"));
  });

  it("the engine is asked for an Urdu word's key alone, which finds the same documents", () => {
    const ask = (q: string) => matchQueryOf(planQuery(q).groups).map((g) => g.map((m) => m.term));
    const urdu = termsOfToken("کمپیوٹر");
    assert.ok(urdu.phonetic);
    // Every document holding the word holds its key, so the word adds nothing to the match.
    assert.deepEqual(indexTerms("کمپیوٹر"), [urdu.primary, urdu.phonetic]);
    assert.deepEqual(ask("کمپیوٹر"), [[urdu.phonetic]]);
    // English words are stemmed: "computing" shares the stem of "computer" but not its key.
    assert.deepEqual(ask("computer"), [["comput", "0kmptr"]]);
    assert.notEqual(termsOfToken("computing").phonetic, "0kmptr");
    // Roman Urdu is Latin too, numbers have no key, and a prefix is kept as typed.
    assert.deepEqual(ask("kampiutar"), [["kampiutar", "0kmptr"]]);
    assert.deepEqual(ask("2020"), [["2020"]]);
    const tail = matchQueryOf(withPrefixTail(planQuery("کمپیوٹر کو")).groups).at(-1)!;
    assert.ok(tail.every((m) => m.prefix));
  });

  it("the all-terms index keeps an Urdu word only as its key; titles keep it whole for suggestions", () => {
    const doc = analyseDocument({ title: "کمپیوٹر کورس", strap: "", body_text: "computing کا 2020 کمپیوٹر" });
    const all = doc.all_index.split(" ");
    const head = doc.head_index.split(" ");
    assert.ok(coveredByItsKey("کمپیوٹر"));
    assert.ok(!all.includes("کمپیوٹر") && all.includes("0kmptr"), doc.all_index);
    assert.ok(
      head.includes("کمپیوٹر") && head.includes("0kmptr"),
      "a prefix as you type meets the word itself",
    );
    for (const kept of ["comput", "2020", "کا"])
      assert.ok(all.includes(kept), `${kept} has no key to stand for it`);
    assert.ok(!coveredByItsKey("comput") && !coveredByItsKey("0kmptr") && !coveredByItsKey("کا"));
  });

  it("a document's fields are the distinct terms and words of its texts, in order", () => {
    const title = "کمپیوٹر کورس، Computer courses";
    // کے لیے starts a variant phrase: that text takes the word-by-word way.
    const strap = "نوجوانوں کے لیے مفت کورس";
    const body = "computing کا 2020 کمپیوٹر۔ کورس مفت ہے، سینٹر اور سنٹر۔ Courses";
    const doc = analyseDocument({ title, strap, body_text: body });
    const distinct = (...lists: string[][]) => [...new Set(lists.flat())].join(" ");
    assert.equal(doc.title_terms, indexTerms(title).join(" "));
    assert.equal(doc.strap_terms, indexTerms(strap).join(" "));
    assert.equal(doc.head_index, distinct(indexTerms(title), indexTerms(strap)));
    const keyed = (text: string) => indexTerms(text).filter((t) => !coveredByItsKey(t));
    assert.equal(doc.all_index, distinct(keyed(title), keyed(strap), keyed(body)));
    assert.equal(doc.vocab, distinct(vocabularyWords(title), vocabularyWords(strap), vocabularyWords(body)));
    assert.ok(doc.strap_terms.split(" ").includes(indexTerms("کے لیے")[0]!), doc.strap_terms);
  });

  it("a typo's Urdu neighbour is asked for by its key too", () => {
    const plan = planQuery("کمپیوٹن");
    const [group] = plan.groups;
    const withNeighbour = [
      {
        token: group!.token,
        alternatives: [...group!.alternatives, { term: "کمپیوٹر", kind: "fuzzy" as const, prefix: false }],
      },
    ];
    const asked = matchQueryOf(withNeighbour)[0]!.map((m) => m.term);
    assert.ok(asked.includes("0kmptr") && !asked.includes("کمپیوٹر"), asked.join(" "));
  });

  it("a typo's neighbours are also listed by key, each with the last neighbour that has it", () => {
    const neighbours = oneEditCandidates("shanakti");
    const keys = neighbourKeys("shanakti", neighbours);
    assert.equal(keys.get("0shnkht"), "shanakhti", "the h of kh put back meets شناختی's key");
    assert.equal(phoneticTermOf("شناختی"), "0shnkht");
    assert.ok(!keys.has("0shnkt"), "the word's own key is asked already");
    for (const [key, word] of keys) {
      assert.equal(phoneticTermOf(word), key, word);
      assert.equal(
        neighbours.findLast((n) => phoneticTermOf(n) === key),
        word,
        "the last neighbour with the key",
      );
      assert.ok(
        key.length - 1 >= 4,
        `${key}: a skeleton of three letters or fewer is shared by too many words`,
      );
    }
    assert.equal(neighbourKeys("lapto", oneEditCandidates("lapto")).get("0lptp"), "laptop", "not laptpo");
    // qwerty's neighbour qerty has the skeleton krt, as many Urdu words do.
    assert.ok(![...neighbourKeys("qwerty", oneEditCandidates("qwerty")).keys()].includes("0krt"));
  });

  it("at most eight words are searched", () => {
    assert.equal(planQuery("a1 b2 c3 d4 e5 f6 g7 h8 i9 j10").groups.length, 8);
  });
});
