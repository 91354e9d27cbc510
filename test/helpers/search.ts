import { newId } from "../../src/db/ids.ts";
import type { SearchSource } from "../../src/search/indexer.ts";

/** A published Urdu news article to index, with whatever a test sets on it. */
export function searchSource(over: Partial<SearchSource> & Pick<SearchSource, "title">): SearchSource {
  return {
    id: newId(),
    source: "article",
    centre_id: null,
    kind: "news",
    lang: "ur",
    strap: "",
    body_text: "",
    path: `/articles/${over.title}`,
    published_at: "2026-06-01T00:00:00.000Z",
    expires_at: null,
    ...over,
  };
}
