/** Refreshes quickly while something runs, slowly otherwise, and not at all in a hidden tab. */
export interface Poller {
  /** Refresh now (after an action), then carry on. */
  refreshNow(): void;
  stop(): void;
}

export interface PollerOptions {
  /** @default 1000 */
  readonly fastMs?: number;
  /** @default 15000 */
  readonly slowMs?: number;
}

/** `refresh` returns true when something is running or due soon (poll fast). */
export function startPoller(refresh: () => Promise<boolean>, options: PollerOptions = {}): Poller {
  const fastMs = options.fastMs ?? 1000;
  const slowMs = options.slowMs ?? 15_000;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  let running = false;
  let again = false;

  const tick = async (): Promise<void> => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    clearTimeout(timer);
    running = true;
    let fast = false;
    try {
      fast = document.hidden ? false : await refresh();
    } catch {
      fast = false;
    } finally {
      running = false;
    }
    if (again) {
      again = false;
      void tick();
      return;
    }
    if (!stopped) timer = setTimeout(() => void tick(), fast ? fastMs : slowMs);
  };
  const onVisible = (): void => {
    if (!document.hidden) void tick();
  };
  document.addEventListener('visibilitychange', onVisible);
  void tick();
  return {
    refreshNow: () => void tick(),
    stop() {
      stopped = true;
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisible);
    },
  };
}
