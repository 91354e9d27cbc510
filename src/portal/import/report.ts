// What the two importers (`rasai import wordpress`, `rasai import articles`) share: the context they run in,
// the events they report while running, the report they return, and how a failure becomes a reason a person
// can act on.
import fs from "node:fs";
import type { Actor } from "../../audit/actor.ts";
import type { Clock } from "../../db/clock.ts";
import { hasMessage, t } from "../../i18n/index.ts";
import { DomainError } from "../../server/errors.ts";
import { WxrRejected } from "./wxrRecords.ts";

/** One item (post, page or JSONL line) that was not imported, and why. */
export interface Rejection {
  /** How a person finds it again: `line 12 "Title"` or `post 7 "Title"`. */
  item: string;
  reason: string;
  line?: number;
  postId?: number;
}

/** Something imported incompletely (a missing image, an also-read link that leads nowhere). */
export interface ImportWarning {
  /** null for a warning about the whole run */
  item: string | null;
  message: string;
}

export interface ImportCounts {
  /** posts and pages (WordPress) or non-blank lines (JSONL) seen so far */
  items: number;
  /** all items in the file, when known in advance (WordPress: counted by the first pass) */
  total: number | null;
  added: number;
  existing: number;
  rejected: number;
}

export type ImportEvent =
  | { type: "scanning"; items: number }
  | ({ type: "progress" } & ImportCounts)
  | { type: "rejected"; rejection: Rejection }
  | { type: "warning"; warning: ImportWarning };

export interface ImportCtx {
  actor: Actor;
  clock: Clock;
  /** where lead images are written (its media/ folder) */
  dataDir: string;
  onProgress?: (event: ImportEvent) => void;
}

export interface ImportReport {
  items: number;
  added: number;
  existing: number;
  rejected: Rejection[];
  warnings: ImportWarning[];
  /** WordPress only: comments added and already there; pingbacks, trackbacks and empty ones skipped */
  comments: { added: number; existing: number; skipped: number };
  categoriesAdded: number;
}

/** The file cannot be read, or is refused whole (a DOCTYPE, malformed XML): nothing more is imported. */
export class ImportFailed extends Error {
  override name = "ImportFailed";
  constructor(
    message: string,
    readonly report: ImportReport | null = null,
  ) {
    super(message);
  }
}

/** A reason of our own for not importing one item (no title, password-protected, …). */
export class ItemRejected extends Error {
  override name = "ItemRejected";
}

export function emptyReport(): ImportReport {
  return {
    items: 0,
    added: 0,
    existing: 0,
    rejected: [],
    warnings: [],
    comments: { added: 0, existing: 0, skipped: 0 },
    categoriesAdded: 0,
  };
}

/** Keeps the report and tells the caller about each change of it. */
export class Tally {
  readonly report = emptyReport();
  total: number | null = null;

  constructor(private readonly onProgress: ImportCtx["onProgress"]) {}

  counts(): ImportCounts {
    const r = this.report;
    return {
      items: r.items,
      total: this.total,
      added: r.added,
      existing: r.existing,
      rejected: r.rejected.length,
    };
  }

  progress(): void {
    this.onProgress?.({ type: "progress", ...this.counts() });
  }

  reject(rejection: Rejection): void {
    this.report.rejected.push(rejection);
    this.onProgress?.({ type: "rejected", rejection });
  }

  warn(item: string | null, message: string): void {
    const warning = { item, message };
    this.report.warnings.push(warning);
    this.onProgress?.({ type: "warning", warning });
  }

  scanning(items: number): void {
    this.onProgress?.({ type: "scanning", items });
  }
}

/** A failure as one line: a validation failure lists its fields in plain English. */
export function describeFailure(error: unknown): string {
  if (error instanceof ItemRejected) return error.message;
  if (error instanceof DomainError) {
    if (error.fields.length === 0) return error.code.replaceAll("_", " ");
    return error.fields
      .map((f) => {
        const field = f.path.replace(/^\//, "").replaceAll("/", ".") || "article";
        const key = `field.${f.code}`;
        return `${field}: ${hasMessage(key) ? t("en", key, f.params) : f.code}`;
      })
      .join("; ");
  }
  return `unexpected error: ${(error as Error)?.message ?? String(error)}`;
}

/** `"Title"` cut to a readable length, for naming an item in a message. */
export function quoteTitle(title: string): string {
  const short = title.length > 60 ? `${title.slice(0, 59)}…` : title;
  return `"${short}"`;
}

/** Cuts text to at most `max` characters, at a word boundary when one is near, with an ellipsis. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(" ");
  return `${space > max * 0.6 ? cut.slice(0, space) : cut}…`;
}

/** Checks the file can be read before anything is written; the error names the problem in one line. */
export async function assertReadableFile(file: string, what: string): Promise<void> {
  let stat: fs.Stats;
  try {
    stat = await fs.promises.stat(file);
    await fs.promises.access(file, fs.constants.R_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === "ENOENT" ? "no such file" : code === "EACCES" ? "permission denied" : (error as Error).message;
    throw new ImportFailed(`Cannot read ${what} ${file}: ${why}.`);
  }
  if (!stat.isFile()) throw new ImportFailed(`Cannot read ${what} ${file}: it is not a file.`);
}

/** A read or parse failure of the file as one line; anything else is not ours to explain. */
export function fileFailure(error: unknown, file: string, report: ImportReport | null): unknown {
  const done = report && report.added > 0 ? ` (${report.added} item(s) imported before that stay)` : "";
  if (error instanceof WxrRejected)
    return new ImportFailed(`${file} refused: ${error.message}${done}`, report);
  const code = (error as NodeJS.ErrnoException)?.code;
  if (typeof code === "string" && /^E[A-Z]+$/.test(code) && (error as { syscall?: string }).syscall) {
    return new ImportFailed(`Cannot read ${file}: ${(error as Error).message}${done}`, report);
  }
  return error;
}
