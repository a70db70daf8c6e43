/**
 * CoreApi over the web host's HTTP API, generated from CORE_METHODS:
 * POST /api/call/<method> { args } with a bearer token → Result<T>; events by Server-Sent Events.
 */
import { CORE_EVENTS, CORE_METHODS, type CoreApi, type CoreEvents } from '../../src/common/api.js';
import { AppError, isAppErrorLike } from '../../src/common/errors.js';

export interface HttpCoreOptions {
  /** Origin-relative base, '' for the page's own origin. */
  readonly baseUrl: string;
  readonly token: string;
  readonly fetch: typeof fetch;
  /** Creates the event stream; absent in tests that do not need events. */
  readonly createEventSource?: (url: string) => EventSource;
}

function lostConnection(cause: unknown): AppError {
  return new AppError('INTERNAL', 'Lost the connection to Calciquant. Check that `npm run web` is still running, then reload the page.', { cause });
}

async function call(o: HttpCoreOptions, method: string, args: unknown[]): Promise<unknown> {
  let res: Response;
  try {
    res = await o.fetch(`${o.baseUrl}/api/call/${method}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${o.token}` },
      body: JSON.stringify({ args }),
    });
  } catch (e) {
    throw lostConnection(e);
  }
  if (res.status === 401 || res.status === 403) {
    throw new AppError('INPUT_INVALID', 'This browser tab has no valid session. Open the link (with its token) that `npm run web` printed.');
  }
  let body: unknown;
  try {
    body = await res.json();
  } catch (e) {
    throw new AppError('INTERNAL', `The Calciquant server answered ${res.status} without a result. Reload the page; report it if it happens again.`, { cause: e });
  }
  const r = body as { ok?: unknown; value?: unknown; error?: unknown };
  if (r && r.ok === true) return r.value;
  if (r && r.ok === false && isAppErrorLike(r.error)) throw new AppError(r.error.code, r.error.userMessage);
  throw new AppError('INTERNAL', `The Calciquant server answered ${res.status} with an unexpected reply. Reload the page.`);
}

export function createHttpCore(o: HttpCoreOptions): CoreApi {
  const methods = Object.fromEntries(
    CORE_METHODS.map((m) => [m, (...args: unknown[]) => call(o, m, args)] as const),
  ) as unknown as Omit<CoreApi, 'on'>;

  let source: EventSource | null = null;
  const listeners = new Map<string, Set<(e: never) => void>>();
  function ensureSource(): void {
    if (source || !o.createEventSource) return;
    source = o.createEventSource(`${o.baseUrl}/api/events?token=${encodeURIComponent(o.token)}`);
    for (const topic of CORE_EVENTS) {
      source.addEventListener(topic, (ev) => {
        let data: unknown;
        try {
          data = JSON.parse((ev as MessageEvent<string>).data);
        } catch {
          return;
        }
        for (const cb of listeners.get(topic) ?? []) (cb as (x: unknown) => void)(data);
      });
    }
  }

  return {
    ...methods,
    on<K extends keyof CoreEvents>(topic: K, cb: (e: CoreEvents[K]) => void): () => void {
      ensureSource();
      let set = listeners.get(topic);
      if (!set) listeners.set(topic, (set = new Set()));
      set.add(cb as (e: never) => void);
      return () => set.delete(cb as (e: never) => void);
    },
  };
}

/** The session token: from `?token=` (then remembered for reloads in this tab), else remembered. */
export function resolveToken(location: { search: string }, storage: Pick<Storage, 'getItem' | 'setItem'>): string {
  const fromUrl = new URLSearchParams(location.search).get('token');
  if (fromUrl) {
    storage.setItem('calciquant.token', fromUrl);
    return fromUrl;
  }
  return storage.getItem('calciquant.token') ?? '';
}
