import { systemClock } from "../db/clock.ts";
import type { Db } from "../db/connect.ts";
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
  const bar = progressBar(stream, "search index");
  let latest: ReindexProgress = { done: 0, total: 0 };
  const { indexed } = await reindexAll(db, systemClock, (p) => {
    latest = p;
    bar.update(p);
  });
  bar.done(latest);
  return indexed;
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
