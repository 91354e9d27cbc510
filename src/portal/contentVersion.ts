/**
 * A counter that every portal write bumps (articles, comments, categories). Rendered public
 * pages are cached under the version they were rendered at, so one bump retires them all.
 * Single-process by design: a centre runs one server process.
 */
let version = 0;

export function portalVersion(): number {
  return version;
}

export function bumpPortalVersion(): void {
  version++;
}
