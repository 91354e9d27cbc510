import { systemClock } from "../db/clock.ts";
import type { Db } from "../db/connect.ts";
import { mergeIndex } from "../search/maintenance.ts";
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

/** A rebuild told to stop (RebuildOptions.stopped) before it was done. */
export class RebuildStopped extends Error {
  constructor() {
    super("the search index build was stopped before it was done");
  }
}

export async function rebuildSearchIndex(
  db: Db,
  stream: NodeJS.WriteStream,
  {
    stopped = () => false,
  }: {
    /** Asked before each batch; once true, the rebuild ends there with RebuildStopped. */
    stopped?: () => boolean;
  } = {},
): Promise<number> {
  const bar = progressBar(stream, "search index");
  let latest: ReindexProgress = { done: 0, total: 0 };
  const { indexed } = await reindexAll(db, systemClock, (p) => {
    if (stopped()) throw new RebuildStopped();
    latest = p;
    bar.update(p);
  });
  bar.done(latest);
  return indexed;
}

/** Merges the engine's index into one piece (mergeIndex), a dot per step on a terminal. */
export async function mergeSearchIndex(db: Db, stream: NodeJS.WriteStream): Promise<number> {
  const tty = stream.isTTY === true;
  const { work } = await mergeIndex(db, () => {
    if (tty) stream.write(".");
  });
  if (tty && work > 0) stream.write("\n");
  return work;
}

const USAGE = "Usage: rasai search reindex|merge. See rasai search --help.";

export async function searchCommand(action: string | undefined): Promise<void> {
  if (action !== "reindex" && action !== "merge") throw new UsageError(USAGE);
  const { db, config } = await openRuntime();
  try {
    if (action === "reindex") {
      const indexed = await rebuildSearchIndex(db, process.stderr);
      console.log(`Search index rebuilt: ${indexed} document${indexed === 1 ? "" : "s"}.`);
      return;
    }
    const started = Date.now();
    const work = await mergeSearchIndex(db, process.stderr);
    const took = ((Date.now() - started) / 1000).toFixed(1);
    const unit = config.database.dialect === "sqlite" ? "merge step" : "pending page";
    console.log(
      work === 0
        ? "Search index already in one piece."
        : `Search index merged: ${work} ${unit}${work === 1 ? "" : "s"} in ${took} s.`,
    );
  } finally {
    await db.destroy();
  }
}
