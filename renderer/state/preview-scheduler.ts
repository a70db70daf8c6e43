/**
 * Live-preview scheduling, independent of React and the store:
 * - `request(req, delayMs)` debounces (a newer request replaces a waiting one);
 * - at most one request runs at a time; the newest waiting one runs next (older ones are dropped),
 *   so a fast slider never piles work up in the core;
 * - a response older than one already shown is dropped, and `invalidate()` drops every response of
 *   requests issued so far (the image changed).
 */
export interface PreviewSchedulerOptions<Req, Res> {
  readonly run: (req: Req) => Promise<Res>;
  readonly onResult: (res: Res, req: Req) => void;
  readonly onError: (e: unknown, req: Req) => void;
  readonly onPendingChange?: (pending: boolean) => void;
}

export interface PreviewScheduler<Req> {
  request(req: Req, delayMs?: number): void;
  invalidate(): void;
  dispose(): void;
}

export function createPreviewScheduler<Req, Res>(o: PreviewSchedulerOptions<Req, Res>): PreviewScheduler<Req> {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let waiting: Req | null = null;
  let inFlight = false;
  let issued = 0;
  let applied = 0;
  let minValid = 1;
  let disposed = false;
  let lastPending = false;

  const report = () => {
    const pending = !disposed && (timer !== null || inFlight || waiting !== null);
    if (pending !== lastPending) {
      lastPending = pending;
      o.onPendingChange?.(pending);
    }
  };

  function issue(req: Req): void {
    const seq = ++issued;
    inFlight = true;
    report();
    o.run(req).then(
      (res) => {
        if (disposed || seq < minValid || seq <= applied) return;
        applied = seq;
        o.onResult(res, req);
      },
      (e) => {
        if (disposed || seq < minValid || seq <= applied) return;
        applied = seq;
        o.onError(e, req);
      },
    ).finally(() => {
      inFlight = false;
      const next = waiting;
      waiting = null;
      if (next !== null && !disposed) issue(next);
      else report();
    });
  }

  function submit(req: Req): void {
    if (inFlight) waiting = req;
    else issue(req);
    report();
  }

  return {
    request(req, delayMs = 0) {
      if (disposed) return;
      if (timer !== null) clearTimeout(timer);
      timer = null;
      if (delayMs <= 0) return submit(req);
      timer = setTimeout(() => {
        timer = null;
        submit(req);
      }, delayMs);
      report();
    },
    invalidate() {
      if (timer !== null) clearTimeout(timer);
      timer = null;
      waiting = null;
      minValid = issued + 1;
      report();
    },
    dispose() {
      if (timer !== null) clearTimeout(timer);
      timer = null;
      waiting = null;
      disposed = true;
    },
  };
}
