// Streaming reader for `rasai import articles <file.jsonl>`: one article per line, in the shape of
// test/fixtures/seed-article/article.json plus a few optional fields. Every line is judged on its own: a bad
// line (bad JSON, a missing or mistyped field, an over-long line, invalid UTF-8) becomes a rejection that
// names the field, and reading carries on with the next line.
//
// Lines are split on raw bytes rather than with node:readline, because readline keeps buffering a line until
// it sees its newline; here a line longer than the limit is rejected and skipped without holding it.

export type ArticleLanguage = "ur" | "en";
export type ArticleKind = "news" | "notice" | "guide";

export interface ImportedArticle {
  language: ArticleLanguage;
  title: string;
  /** null when absent or empty */
  strap: string | null;
  /** non-negative integer; null when absent */
  view_count: number | null;
  image_caption: string | null;
  body_paragraphs: string[];
  also_read_heading: string | null;
  /** 0…body_paragraphs.length; null when absent */
  also_read_after_paragraph: number | null;
  /** [] when absent */
  also_read_titles: string[];
  slug: string | null;
  /** normalised to ISO 8601 UTC ("…Z"); null when absent */
  published_at: string | null;
  /** Notices need one: after it they leave the lists. */
  expires_at: string | null;
  category: string | null;
  /** "news" when absent */
  kind: ArticleKind;
  /** a file path, as written in the line (resolve it against the JSONL file's folder) */
  image: string | null;
  image_alt: string | null;
}

export type ArticleLine =
  | { line: number; ok: true; article: ImportedArticle; ignoredFields: string[] }
  | { line: number; ok: false; reason: string };

export interface ReadArticleLinesOptions {
  /** Longest accepted line in bytes, newline excluded. Default 1 MiB. */
  maxLineBytes?: number;
}

const KNOWN_FIELDS = new Set([
  "language",
  "title",
  "strap",
  "view_count",
  "image_caption",
  "body_paragraphs",
  "also_read_heading",
  "also_read_after_paragraph",
  "also_read_titles",
  "slug",
  "published_at",
  "expires_at",
  "category",
  "kind",
  "image",
  "image_alt",
]);

// Present in article.json but not imported: accepted silently.
const TOLERATED_FIELDS = new Set(["direction", "comment_form"]);

const ISO_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string")
    return value.length > 40 ? `"${value.slice(0, 40)}…"` : JSON.stringify(value);
  if (typeof value === "object") return "an object";
  return `${typeof value} ${String(value)}`;
}

function parseIsoDateTime(value: string): string | null {
  const m = ISO_DATE_TIME.exec(value.trim());
  if (!m) return null;
  const [y, mo, d, h, mi, s = "0"] = m.slice(1, 7).map((x) => x ?? "0") as string[];
  const normalised = value
    .trim()
    .replace(" ", "T")
    .replace(/z$/, "Z")
    .replace(/([+-]\d{2})(\d{2})$/, "$1:$2");
  const date = new Date(normalised);
  if (Number.isNaN(date.getTime())) return null;
  // Reject calendar overflow such as 2021-02-30 that Date would quietly roll over.
  const probe = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  if (
    probe.getUTCFullYear() !== Number(y) ||
    probe.getUTCMonth() !== Number(mo) - 1 ||
    probe.getUTCDate() !== Number(d) ||
    Number(h) > 23 ||
    Number(mi) > 59 ||
    Number(s) > 59
  ) {
    return null;
  }
  return date.toISOString();
}

/** Validate one decoded JSON value. Returns the article, or every problem found, each naming its field. */
export function validateArticle(
  value: unknown,
): { ok: true; article: ImportedArticle; ignoredFields: string[] } | { ok: false; problems: string[] } {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { ok: false, problems: [`the line must be a JSON object, not ${describe(value)}`] };
  }
  const o = value as Record<string, unknown>;
  const problems: string[] = [];
  const has = (k: string) => Object.prototype.hasOwnProperty.call(o, k) && o[k] !== undefined;

  const optionalString = (k: string): string | null => {
    if (!has(k) || o[k] === null) return null;
    const v = o[k];
    if (typeof v !== "string") {
      problems.push(`${k}: must be a string, got ${describe(v)}`);
      return null;
    }
    const t = v.trim();
    return t === "" ? null : t;
  };
  const optionalCount = (k: string): number | null => {
    if (!has(k) || o[k] === null) return null;
    const v = o[k];
    if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0) {
      problems.push(`${k}: must be a whole number ≥ 0, got ${describe(v)}`);
      return null;
    }
    return v;
  };

  let language: ArticleLanguage = "ur";
  if (!has("language")) problems.push('language: missing (must be "ur" or "en")');
  else if (o["language"] !== "ur" && o["language"] !== "en") {
    problems.push(`language: must be "ur" or "en", got ${describe(o["language"])}`);
  } else language = o["language"];

  let title = "";
  if (!has("title")) problems.push("title: missing");
  else if (typeof o["title"] !== "string")
    problems.push(`title: must be a string, got ${describe(o["title"])}`);
  else if (o["title"].trim() === "") problems.push("title: is empty");
  else title = o["title"].trim();

  let body: string[] = [];
  const rawBody = o["body_paragraphs"];
  if (!has("body_paragraphs"))
    problems.push("body_paragraphs: missing (must be a non-empty array of strings)");
  else if (!Array.isArray(rawBody)) {
    problems.push(`body_paragraphs: must be an array of strings, got ${describe(rawBody)}`);
  } else if (rawBody.length === 0) problems.push("body_paragraphs: is empty (needs at least one paragraph)");
  else {
    rawBody.forEach((p: unknown, i) => {
      if (typeof p !== "string") problems.push(`body_paragraphs[${i}]: must be a string, got ${describe(p)}`);
      else if (p.trim() === "") problems.push(`body_paragraphs[${i}]: is empty`);
    });
    body = rawBody.filter((p): p is string => typeof p === "string").map((p) => p.trim());
  }

  const strap = optionalString("strap");
  const viewCount = optionalCount("view_count");
  const imageCaption = optionalString("image_caption");
  const alsoReadHeading = optionalString("also_read_heading");
  const alsoReadAfter = optionalCount("also_read_after_paragraph");
  if (alsoReadAfter !== null && Array.isArray(rawBody) && alsoReadAfter > rawBody.length) {
    problems.push(
      `also_read_after_paragraph: ${alsoReadAfter} is past the last paragraph (body_paragraphs has ${rawBody.length})`,
    );
  }

  let alsoReadTitles: string[] = [];
  if (has("also_read_titles") && o["also_read_titles"] !== null) {
    const v = o["also_read_titles"];
    if (!Array.isArray(v)) problems.push(`also_read_titles: must be an array of strings, got ${describe(v)}`);
    else {
      v.forEach((t: unknown, i) => {
        if (typeof t !== "string")
          problems.push(`also_read_titles[${i}]: must be a string, got ${describe(t)}`);
        else if (t.trim() === "") problems.push(`also_read_titles[${i}]: is empty`);
      });
      alsoReadTitles = v.filter((t): t is string => typeof t === "string").map((t) => t.trim());
    }
  }

  const slug = optionalString("slug");
  if (slug !== null && (/[\s/\\?#%]/.test(slug) || slug.length > 200)) {
    problems.push(
      `slug: must be at most 200 characters without spaces, slashes, ?, # or %, got ${describe(slug)}`,
    );
  }

  let publishedAt: string | null = null;
  const rawPublished = optionalString("published_at");
  if (rawPublished !== null) {
    publishedAt = parseIsoDateTime(rawPublished);
    if (publishedAt === null) {
      problems.push(
        `published_at: must be an ISO 8601 date-time with a timezone, e.g. "2021-05-10T10:00:00Z", got ${describe(rawPublished)}`,
      );
    }
  }

  let expiresAt: string | null = null;
  const rawExpires = optionalString("expires_at");
  if (rawExpires !== null) {
    expiresAt = parseIsoDateTime(rawExpires);
    if (expiresAt === null) {
      problems.push(`expires_at: must be an ISO 8601 date-time with a timezone, got ${describe(rawExpires)}`);
    }
  }

  const category = optionalString("category");

  let kind: ArticleKind = "news";
  if (has("kind") && o["kind"] !== null) {
    const v = o["kind"];
    if (v !== "news" && v !== "notice" && v !== "guide") {
      problems.push(`kind: must be "news", "notice" or "guide", got ${describe(v)}`);
    } else kind = v;
  }

  const image = optionalString("image");
  if (image !== null && image.includes("\0")) problems.push("image: contains a NUL character");
  const imageAlt = optionalString("image_alt");

  if (has("direction") && o["direction"] !== "rtl" && o["direction"] !== "ltr" && o["direction"] !== null) {
    problems.push(`direction: must be "rtl" or "ltr" when given, got ${describe(o["direction"])}`);
  }

  if (problems.length > 0) return { ok: false, problems };
  const ignoredFields = Object.keys(o).filter((k) => !KNOWN_FIELDS.has(k) && !TOLERATED_FIELDS.has(k));
  return {
    ok: true,
    ignoredFields,
    article: {
      language,
      title,
      strap,
      view_count: viewCount,
      image_caption: imageCaption,
      body_paragraphs: body,
      also_read_heading: alsoReadHeading,
      also_read_after_paragraph: alsoReadAfter,
      also_read_titles: alsoReadTitles,
      slug,
      published_at: publishedAt,
      expires_at: expiresAt,
      category,
      kind,
      image,
      image_alt: imageAlt,
    },
  };
}

/** Split a byte stream into lines without ever holding more than `maxLineBytes` of one line. */
async function* byteLines(
  input: NodeJS.ReadableStream | AsyncIterable<Buffer | string>,
  maxLineBytes: number,
): AsyncGenerator<{ line: number; bytes: Buffer } | { line: number; tooLong: true }> {
  let parts: Buffer[] = [];
  let size = 0;
  let skipping = false;
  let line = 1;
  for await (const raw of input as AsyncIterable<Buffer | string | Uint8Array>) {
    const chunk =
      typeof raw === "string" ? Buffer.from(raw, "utf8") : Buffer.isBuffer(raw) ? raw : Buffer.from(raw);
    let start = 0;
    while (start <= chunk.length) {
      const nl = chunk.indexOf(0x0a, start);
      const end = nl < 0 ? chunk.length : nl;
      if (!skipping) {
        const piece = chunk.subarray(start, end);
        if (size + piece.length > maxLineBytes) {
          skipping = true;
          parts = [];
          size = 0;
        } else if (piece.length > 0) {
          // A piece that runs to the chunk's end is kept past this chunk: copy it so the chunk can be freed.
          parts.push(nl < 0 ? Buffer.from(piece) : piece);
          size += piece.length;
        }
      }
      if (nl < 0) break;
      yield skipping ? { line, tooLong: true } : { line, bytes: Buffer.concat(parts, size) };
      line++;
      parts = [];
      size = 0;
      skipping = false;
      start = nl + 1;
    }
  }
  if (skipping) yield { line, tooLong: true };
  else if (size > 0) yield { line, bytes: Buffer.concat(parts, size) };
}

/**
 * Read a JSONL file of articles, one result per non-blank line, in order. Never throws for bad content:
 * each bad line comes back as `{ ok: false, reason }` with its 1-based line number.
 */
export async function* readArticleLines(
  input: NodeJS.ReadableStream | AsyncIterable<Buffer | string>,
  options: ReadArticleLinesOptions = {},
): AsyncGenerator<ArticleLine> {
  const maxLineBytes = options.maxLineBytes ?? 1024 * 1024;
  const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
  for await (const entry of byteLines(input, maxLineBytes)) {
    if ("tooLong" in entry) {
      yield { line: entry.line, ok: false, reason: `line is longer than ${maxLineBytes} bytes` };
      continue;
    }
    let text: string;
    try {
      text = decoder.decode(entry.bytes);
    } catch {
      yield { line: entry.line, ok: false, reason: "line is not valid UTF-8" };
      continue;
    }
    if (entry.line === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    if (text.endsWith("\r")) text = text.slice(0, -1);
    if (text.trim() === "") continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      yield { line: entry.line, ok: false, reason: `not valid JSON: ${(err as Error).message}` };
      continue;
    }
    const result = validateArticle(value);
    if (result.ok) {
      yield { line: entry.line, ok: true, article: result.article, ignoredFields: result.ignoredFields };
    } else {
      yield { line: entry.line, ok: false, reason: result.problems.join("; ") };
    }
  }
}
