// What indexing works out from a document's text, apart from any database: its index terms and
// vocabulary. Pure, so it can run in a worker thread beside the writes (see bulkIndex.ts).

import { termsOfText } from "./terms.ts";

/** The text a document is indexed from. */
export interface AnalysisInput {
  title: string;
  strap: string;
  body_text: string;
}

export interface DocumentAnalysis {
  title_terms: string;
  strap_terms: string;
  /** Distinct vocabulary words (typo correction), space-separated. */
  vocab: string;
  /** Distinct terms of title and strap, space-separated: what a head-only match looks at. */
  head_index: string;
  /**
   * Distinct terms of the whole document, space-separated, without the Urdu words whose key is
   * there (coveredByItsKey): 40% fewer entries for the engine to keep.
   */
  all_index: string;
}

export function analyseDocument(doc: AnalysisInput): DocumentAnalysis {
  const title = termsOfText(doc.title);
  const strap = termsOfText(doc.strap);
  const body = termsOfText(doc.body_text);
  const head = new Set([...title.terms, ...strap.terms]);
  return {
    title_terms: title.terms.join(" "),
    strap_terms: strap.terms.join(" "),
    vocab: [...new Set([...title.vocabulary, ...strap.vocabulary, ...body.vocabulary])].join(" "),
    // Joined here (on the analysis worker, in bulk): one string crosses to the writer instead of
    // ~200 that it would have to copy, keep and collect.
    head_index: [...head].join(" "),
    all_index: [...new Set([...title.keyed, ...strap.keyed, ...body.keyed])].join(" "),
  };
}
