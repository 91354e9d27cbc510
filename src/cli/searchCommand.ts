import { systemClock } from "../db/clock.ts";
import type { Db } from "../db/connect.ts";
import { buildTextIndexes } from "../search/maintenance.ts";
import { reindexAll, type ReindexProgress } from "../search/reindex.ts";
import { openRuntime, UsageError } from "./runtime.ts";

interface Progress {
  done: number;
  total: number;
}

/** A bar redrawn in place on a terminal; a plain line every few seconds in a log. */
export function progressBar(stream: NodeJS.WriteStream, label: string) {
  const tty = stream.isTTY === true;
  const started = Date.now();
  let last = 0;
  const line = ({ done, total }: Progress) => {
    const fraction = total > 0 ? done / total : 1;
    const width = 30;
    const filled = Math.round(fraction * width);
    const secs = (Date.now() - started) / 1000;
    const rate = secs > 0 ? Math.round(done / secs) : 0;
    return `${label} [${"#".repeat(filled)}${"-".repeat(width - filled)}] ${Math.floor(fraction * 100)}% ${done}/${total} (${rate}/s)`;
  };
  return {
    update(p: Progress) {
      const now = Date.now();
      if (now - last < (tty ? 100 : 5000) && p.done !== p.total) return;
      last = now;
      if (tty) stream.write(`\r${line(p)}\x1b[K`);
      else stream.write(`${line(p)}\n`);
    },
    done(p: Progress) {
      stream.write(tty ? `\r${line(p)}\x1b[K\n` : `${line(p)}\n`);
    },
  };
}

export async function rebuildSearchIndex(db: Db, stream: NodeJS.WriteStream): Promise<number> {
  // Documents first; then, on PostgreSQL after a load into an empty index, its text indexes.
  const bars: Record<ReindexProgress["stage"], ReturnType<typeof progressBar>> = {
    documents: progressBar(stream, "search index"),
    "text index": progressBar(stream, "text index"),
  };
  let latest: ReindexProgress = { stage: "documents", done: 0, total: 0 };
  const { indexed } = await reindexAll(db, systemClock, (p) => {
    if (p.stage !== latest.stage) bars[latest.stage].done(latest);
    latest = p;
    bars[p.stage].update(p);
  });
  bars[latest.stage].done(latest);
  return indexed;
}

/**
 * PostgreSQL: builds a text index that a rebuild stopped before making (see indexInBulk), with a
 * progress bar; nothing when both are there, and on SQLite.
 */
export async function finishTextIndexes(db: Db, stream: NodeJS.WriteStream): Promise<void> {
  let bar: ReturnType<typeof progressBar> | null = null;
  let latest = { done: 0, total: 0 };
  await buildTextIndexes(db, (p) => {
    bar ??= progressBar(stream, "text index");
    latest = p;
    bar.update(p);
  });
  (bar as ReturnType<typeof progressBar> | null)?.done(latest);
}

export async function searchCommand(action: string | undefined): Promise<void> {
  if (action !== "reindex") throw new UsageError("Usage: rasai search reindex. See rasai search --help.");
  const { db } = await openRuntime();
  try {
    const indexed = await rebuildSearchIndex(db, process.stderr);
    console.log(`Search index rebuilt: ${indexed} document${indexed === 1 ? "" : "s"}.`);
  } finally {
    await db.destroy();
  }
}
