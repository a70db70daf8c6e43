/**
 * CoreApi over IPC: one `ipcMain.handle('core:<method>')` per CORE_METHODS entry, generated, never
 * hand-written. Each handler refuses any sender but our main window's main frame, checks the shape
 * of the argument list (ARG_SHAPES), and always RETURNS a Result (Electron would forward only the
 * message of a thrown error). Core events go to the window on `core:event` as (topic, payload).
 */
import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { CORE_EVENTS, CORE_METHODS, type CoreApi, type CoreMethod } from '../../src/common/api.js';
import { toAppError, type ErrorInfo, type Result } from '../../src/common/errors.js';
import { CORE_EVENT_CHANNEL, coreChannel } from '../common/channels.js';
import { checkArgs } from './arg-shapes.js';

export type TrustCheck = (e: IpcMainInvokeEvent) => boolean;

export const REFUSED_SENDER: ErrorInfo = {
  code: 'INTERNAL',
  userMessage: 'A request that did not come from the Calciquant window was refused.',
};

/** Runs `fn`; its value or its error as a Result (unexpected errors are logged with their detail). */
export async function toResult<T>(what: string, fn: () => Promise<T> | T): Promise<Result<T>> {
  try {
    return { ok: true, value: await fn() };
  } catch (e) {
    const err = toAppError(e);
    if (err.code === 'INTERNAL') console.error(`[ipc] ${what}:`, e);
    return { ok: false, error: { code: err.code, userMessage: err.userMessage } };
  }
}

export const invalidArgs = (what: string, why: string): Result<never> => ({
  ok: false,
  error: { code: 'INPUT_INVALID', userMessage: `Invalid request to ${what}: ${why}.` },
});

function callCore(core: CoreApi, m: CoreMethod, args: unknown[]): Promise<unknown> {
  const fn = core[m] as (...a: unknown[]) => Promise<unknown>;
  return fn.apply(core, args);
}

/** Registers the core's channels; returns a function that removes them. */
export function registerCoreIpc(core: CoreApi, isTrusted: TrustCheck): () => void {
  for (const m of CORE_METHODS) {
    ipcMain.handle(coreChannel(m), async (e: IpcMainInvokeEvent, ...args: unknown[]): Promise<Result<unknown>> => {
      if (!isTrusted(e)) return { ok: false, error: REFUSED_SENDER };
      const why = checkArgs(m, args);
      if (why) return invalidArgs(m, why);
      return toResult(m, () => callCore(core, m, args));
    });
  }
  return () => CORE_METHODS.forEach((m) => ipcMain.removeHandler(coreChannel(m)));
}

/** Sends every CORE_EVENTS event to the current window; returns an unsubscribe. */
export function forwardCoreEvents(core: CoreApi, target: () => WebContents | null): () => void {
  const offs = CORE_EVENTS.map((topic) =>
    core.on(topic, (payload: unknown) => {
      const wc = target();
      if (wc && !wc.isDestroyed()) wc.send(CORE_EVENT_CHANNEL, topic, payload);
    }),
  );
  return () => offs.forEach((off) => off());
}
