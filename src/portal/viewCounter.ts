import crypto from "node:crypto";

const BOT =
  /bot|crawl|spider|slurp|bingpreview|facebookexternalhit|whatsapp|telegram|preview|curl|wget|python|java\/|httpclient|okhttp|go-http|headless|lighthouse|monitor/i;

export interface ViewHit {
  articleId: string;
  ip: string;
  userAgent: string;
  /** A prefetch or prerender is not a reader. */
  prefetch: boolean;
}

/**
 * Counts article views on the server. Bots and a reader's reloads within the window are not
 * counted. Counts gather in memory and are written in batches, so a read never waits on a
 * write; `countedSince` lets a cached page show the count including what is not written yet.
 */
export class ViewCounter {
  private pending = new Map<string, number>();
  private totals = new Map<string, number>();
  private generations = new Map<string, number>();
  private recent = new Map<string, number>();
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly write: (articleId: string, n: number) => Promise<void>,
    private readonly options: { windowMs: number; maxRecent: number; now: () => number } = {
      windowMs: 30 * 60 * 1000,
      maxRecent: 100_000,
      now: () => Date.now(),
    },
  ) {}

  hit(h: ViewHit): boolean {
    if (h.prefetch || !h.userAgent || BOT.test(h.userAgent)) return false;
    const now = this.options.now();
    const key = crypto.createHash("sha1").update(`${h.articleId}|${h.ip}|${h.userAgent}`).digest("base64");
    const seen = this.recent.get(key);
    if (seen !== undefined && now - seen < this.options.windowMs) return false;
    this.recent.delete(key);
    this.recent.set(key, now);
    if (this.recent.size > this.options.maxRecent) {
      // Maps keep insertion order: the first keys are the oldest.
      for (const k of this.recent.keys()) {
        this.recent.delete(k);
        if (this.recent.size <= this.options.maxRecent * 0.9) break;
      }
    }
    this.pending.set(h.articleId, (this.pending.get(h.articleId) ?? 0) + 1);
    this.totals.set(h.articleId, (this.totals.get(h.articleId) ?? 0) + 1);
    return true;
  }

  /** Views counted by this process for an article, written or not. */
  counted(articleId: string): number {
    return this.totals.get(articleId) ?? 0;
  }

  /** Views counted but not written yet. */
  pendingFor(articleId: string): number {
    return this.pending.get(articleId) ?? 0;
  }

  /** Bumps each time a flush writes this article's views: a cached page showing the count is then stale. */
  generation(articleId: string): number {
    return this.generations.get(articleId) ?? 0;
  }

  /** Writes what has gathered; one flush at a time. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      const batch = this.pending;
      this.pending = new Map();
      for (const [id, n] of batch) {
        try {
          await this.write(id, n);
          this.generations.set(id, (this.generations.get(id) ?? 0) + 1);
        } catch {
          // Put them back: the next flush tries again.
          this.pending.set(id, (this.pending.get(id) ?? 0) + n);
        }
      }
    });
    return this.flushing;
  }
}
