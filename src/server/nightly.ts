// Work the server does once a day at a quiet hour: the SQLite backup, the search index's merge.

/** Milliseconds from `now` to the next `hour`:00 in local time. */
export function msUntilHour(now: Date, hour: number): number {
  const next = new Date(now);
  next.setHours(hour, 0, 0, 0);
  if (next <= now) next.setDate(next.getDate() + 1);
  return next.getTime() - now.getTime();
}

export interface Nightly {
  /** No more runs (one under way finishes). */
  stop(): void;
}

/**
 * Runs `task` every day at `hour`:00 (server local time). A run that fails goes to `onError` and
 * the next night comes all the same; the timer never keeps the process alive.
 */
export function everyNight(
  hour: number,
  task: () => Promise<void>,
  onError: (error: unknown) => void,
): Nightly {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(
      async () => {
        try {
          await task();
        } catch (error) {
          onError(error);
        }
        schedule();
      },
      msUntilHour(new Date(), hour),
    );
    timer.unref();
  };
  schedule();
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
