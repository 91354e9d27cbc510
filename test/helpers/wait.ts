/**
 * Polls `probe` until it returns something truthy, and returns that; throws after `timeoutMs`,
 * saying what was waited for (`what` may be a function, read at the time out, to add what was
 * seen instead).
 */
export async function waitFor<T>(
  what: string | (() => string),
  probe: () => T | undefined | false,
  timeoutMs = 5000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${typeof what === "function" ? what() : what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
