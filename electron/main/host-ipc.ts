/**
 * Host-only services over IPC: native file dialogs and reading/writing a text file the user has
 * just chosen. A chosen path is granted for one read (open dialogs) or one write (save dialog)
 * within GRANT_TTL_MS; any other path is refused. Every answer is a Result.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { dialog, ipcMain, type BrowserWindow, type OpenDialogOptions } from 'electron';
import { AppError } from '../../src/common/errors.js';
import { writeFileAtomic } from '../../src/io/atomic-write.js';
import { HOST_CHANNELS, parsePickPathsOptions, type PickPathsOptions } from '../common/channels.js';
import { invalidArgs, toResult, REFUSED_SENDER, type TrustCheck } from './ipc.js';

export const GRANT_TTL_MS = 5 * 60_000;
export const MAX_TEXT_BYTES = 50 * 1024 * 1024;

type Mode = 'read' | 'write';

/** Short-lived, single-use permissions for paths the user picked. */
export function createPathGrants(now: () => number = Date.now, ttlMs = GRANT_TTL_MS) {
  const grants = new Map<string, { mode: Mode; until: number }>();
  const key = (p: string) => path.resolve(p);
  return {
    grant(paths: readonly string[], mode: Mode): void {
      for (const p of paths) grants.set(key(p), { mode, until: now() + ttlMs });
    },
    /** True (and the grant is used up) when `p` was granted for `mode` and has not expired. */
    consume(p: string, mode: Mode): boolean {
      const g = grants.get(key(p));
      if (!g || g.mode !== mode) return false;
      grants.delete(key(p));
      return g.until >= now();
    },
  };
}
export type PathGrants = ReturnType<typeof createPathGrants>;

const notChosen = (): AppError =>
  new AppError('INPUT_INVALID', 'This file was not chosen in a file dialog just now. Choose it again.');

/** Runs the native dialog; absolute paths chosen, or null when cancelled. */
export async function showPickDialog(win: BrowserWindow | null, o: PickPathsOptions): Promise<string[] | null> {
  const common = { ...(o.title ? { title: o.title } : {}), ...(o.filters ? { filters: o.filters.map((f) => ({ ...f, extensions: [...f.extensions] })) } : {}) };
  if (o.kind === 'saveFile') {
    const opts = { ...common, ...(o.defaultName ? { defaultPath: o.defaultName } : {}) };
    const r = win ? await dialog.showSaveDialog(win, opts) : await dialog.showSaveDialog(opts);
    return r.canceled || !r.filePath ? null : [r.filePath];
  }
  const properties: OpenDialogOptions['properties'] =
    o.kind === 'files' ? ['openFile', 'multiSelections'] : o.kind === 'folder' ? ['openDirectory'] : ['openFile'];
  const opts = { ...common, properties };
  const r = win ? await dialog.showOpenDialog(win, opts) : await dialog.showOpenDialog(opts);
  return r.canceled || r.filePaths.length === 0 ? null : r.filePaths;
}

async function readTextLimited(p: string): Promise<string> {
  const name = path.basename(p);
  try {
    if ((await stat(p)).size > MAX_TEXT_BYTES) throw new AppError('INPUT_INVALID', `“${name}” is too large to open as text.`);
    return await readFile(p, 'utf8');
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw new AppError('INPUT_INVALID', `“${name}” could not be read. Check that it still exists and that you may read it.`, { cause: e });
  }
}

const onlyAbsolute = (paths: string[] | null): string[] | null => {
  const ok = (paths ?? []).filter((p) => typeof p === 'string' && path.isAbsolute(p) && !p.includes('\0'));
  return ok.length ? ok : null;
};

export interface HostIpcDeps {
  readonly isTrusted: TrustCheck;
  readonly getWindow: () => BrowserWindow | null;
  readonly grants?: PathGrants;
}

export function registerHostIpc(d: HostIpcDeps): () => void {
  const grants = d.grants ?? createPathGrants();
  ipcMain.handle(HOST_CHANNELS.pickPaths, async (e, ...args: unknown[]) => {
    if (!d.isTrusted(e)) return { ok: false, error: REFUSED_SENDER };
    const o = args.length === 1 ? parsePickPathsOptions(args[0]) : null;
    if (!o) return invalidArgs('pickPaths', 'give { kind: files | folder | saveFile | openFile, filters? }');
    return toResult('pickPaths', async () => {
      const paths = onlyAbsolute(await showPickDialog(d.getWindow(), o));
      if (paths && o.kind !== 'folder') grants.grant(paths, o.kind === 'saveFile' ? 'write' : 'read');
      return paths;
    });
  });
  ipcMain.handle(HOST_CHANNELS.readTextFile, async (e, ...args: unknown[]) => {
    if (!d.isTrusted(e)) return { ok: false, error: REFUSED_SENDER };
    const [p] = args;
    if (args.length !== 1 || typeof p !== 'string') return invalidArgs('readTextFile', 'give one path');
    return toResult('readTextFile', async () => {
      if (!grants.consume(p, 'read')) throw notChosen();
      return readTextLimited(p);
    });
  });
  ipcMain.handle(HOST_CHANNELS.writeTextFile, async (e, ...args: unknown[]) => {
    if (!d.isTrusted(e)) return { ok: false, error: REFUSED_SENDER };
    const [p, text] = args;
    if (args.length !== 2 || typeof p !== 'string' || typeof text !== 'string' || text.length > MAX_TEXT_BYTES) {
      return invalidArgs('writeTextFile', 'give a path and a text');
    }
    return toResult('writeTextFile', async () => {
      if (!grants.consume(p, 'write')) throw notChosen();
      await writeFileAtomic(p, text);
    });
  });
  return () => Object.values(HOST_CHANNELS).forEach((c) => ipcMain.removeHandler(c));
}
