// Resources a bench must give back even when it fails or is interrupted: servers, temp folders,
// scratch databases. Each registers an undo step; run.ts runs what is left on Ctrl-C or SIGTERM.

type Undo = () => unknown;

const pending: { label: string; undo: Undo }[] = [];

/** Registers `undo`; call the returned function to run it now (once) and unregister it. */
export function deferCleanup(label: string, undo: Undo): () => Promise<void> {
  const entry = { label, undo };
  pending.push(entry);
  return async () => {
    const index = pending.indexOf(entry);
    if (index === -1) return;
    pending.splice(index, 1);
    await entry.undo();
  };
}

/** Runs every registered undo step, newest first, reporting failures without stopping. */
export async function cleanupAll(): Promise<void> {
  while (pending.length > 0) {
    const entry = pending.pop()!;
    try {
      await entry.undo();
    } catch (error) {
      console.error(`cleanup of ${entry.label} failed: ${(error as Error).message}`);
    }
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Rejects with `message` when `promise` takes longer than `ms`. */
export async function withTimeout<T>(promise: PromiseLike<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
