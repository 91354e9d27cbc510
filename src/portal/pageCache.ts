import { promisify } from "node:util";
import zlib from "node:zlib";

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

/**
 * Rendered public pages for anonymous readers, compressed once and served as they are. An
 * entry answers while the portal version, its own stamp (e.g. an article's view-count
 * generation) and its age all allow; any article, comment or category change retires all.
 */
export interface CachedPage {
  version: number;
  stamp: string;
  createdAt: number;
  /** The path this page answers at; another slug for the same article redirects here. */
  path: string;
  articleId: string | null;
  html: string;
  br: Buffer;
  gzip: Buffer;
}

/** List pages may lag a minute (an "open now" badge, a notice's expiry). */
export const PAGE_TTL_MS = 60_000;

export async function compressPage(html: string): Promise<{ br: Buffer; gzip: Buffer }> {
  const [br, gz] = await Promise.all([
    brotli(html, {
      params: {
        [zlib.constants.BROTLI_PARAM_QUALITY]: 5,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: html.length,
      },
    }),
    gzip(html, { level: 6 }),
  ]);
  return { br, gzip: gz };
}

export class PageCache {
  private entries = new Map<string, CachedPage>();
  constructor(private readonly max = 500) {}

  get(
    key: string,
    check: { version: number; stamp: string; now: number; ttlMs?: number },
  ): CachedPage | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (
      entry.version !== check.version ||
      entry.stamp !== check.stamp ||
      check.now - entry.createdAt >= (check.ttlMs ?? PAGE_TTL_MS)
    ) {
      this.entries.delete(key);
      return undefined;
    }
    // Refresh recency: Maps iterate in insertion order.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry;
  }

  /** The article an entry shows, so its freshness stamp can be computed before the check. */
  peekArticleId(key: string): string | null {
    return this.entries.get(key)?.articleId ?? null;
  }

  set(key: string, entry: CachedPage): void {
    this.entries.delete(key);
    this.entries.set(key, entry);
    if (this.entries.size > this.max) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }
}

/** Picks the best encoding the client accepts among those we hold (q=0 refuses). */
export function pickEncoding(acceptEncoding: string | undefined): "br" | "gzip" | null {
  const accepted = new Map<string, number>();
  for (const part of (acceptEncoding ?? "").toLowerCase().split(",")) {
    const [name = "", ...params] = part.trim().split(";");
    const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    accepted.set(name.trim(), q ? Number(q.slice(2)) || 0 : 1);
  }
  if ((accepted.get("br") ?? 0) > 0) return "br";
  if ((accepted.get("gzip") ?? 0) > 0) return "gzip";
  return null;
}
