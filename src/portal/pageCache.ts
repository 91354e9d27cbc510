/**
 * Rendered public pages, kept under the portal version they were rendered at. Placeholders
 * stand for what changes per request (the view count, the form's CSRF token), so a cached
 * page stays correct without re-rendering.
 */
export const VIEWS_TOKEN = "\u0000views\u0000";
export const CSRF_TOKEN = "\u0000csrf\u0000";

export interface CachedPage {
  version: number;
  html: string;
  /** The path this page answers at; any other slug redirects here. */
  path: string;
  articleId: string;
  /** view_count read at render time, and the process's own count then. */
  viewBase: number;
  countedAtRender: number;
}

export class PageCache {
  private entries = new Map<string, CachedPage>();
  constructor(private readonly max = 500) {}

  get(key: string, version: number): CachedPage | undefined {
    const entry = this.entries.get(key);
    if (!entry || entry.version !== version) return undefined;
    // Refresh recency: Maps iterate in insertion order.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry;
  }

  set(key: string, entry: CachedPage): void {
    this.entries.delete(key);
    this.entries.set(key, entry);
    if (this.entries.size > this.max) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }

  clear(): void {
    this.entries.clear();
  }
}
