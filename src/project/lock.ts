/**
 * `.lock` in the project folder stops a second Calciquant from opening the same project. It is
 * created exclusively (`wx`) and holds `{ app, pid, hostname, createdAt, token }`; the holder touches
 * it every few minutes. A lock is stale — and taken over — when its pid is dead on this host, or it
 * was not touched for `staleAfterMs` (a crashed or disconnected holder elsewhere). Taking over is
 * guarded by a `.lock.takeover` mutex so that two instances never both win.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppError } from '../common/errors.js';
import { lockFilePath } from './paths.js';

export const DEFAULT_STALE_AFTER_MS = 12 * 60 * 60 * 1000;
const HEARTBEAT_MS = 10 * 60 * 1000;
/** An unreadable lock younger than this may still be being written by another instance. */
const UNREADABLE_GRACE_MS = 30_000;

export interface LockInfo {
  readonly app: 'calciquant';
  readonly pid: number;
  readonly hostname: string;
  readonly createdAt: string;
  readonly token: string;
}

export interface ProjectLock {
  readonly info: LockInfo;
  release(): Promise<void>;
}

export interface LockOptions {
  readonly staleAfterMs?: number;
}

interface Existing {
  readonly text: string;
  readonly info: LockInfo | null;
  readonly mtimeMs: number;
}

function parseInfo(text: string): LockInfo | null {
  try {
    const d = JSON.parse(text) as Partial<LockInfo>;
    if (typeof d.pid === 'number' && typeof d.hostname === 'string' && typeof d.token === 'string') return d as LockInfo;
  } catch {
    /* unreadable */
  }
  return null;
}

async function readExisting(lockPath: string): Promise<Existing | null> {
  try {
    const [text, st] = await Promise.all([readFile(lockPath, 'utf8'), stat(lockPath)]);
    return { text, info: parseInfo(text), mtimeMs: st.mtimeMs };
  } catch {
    return null; // vanished meanwhile: try again
  }
}

function isPidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by someone else
  }
}

function isStale(e: Existing, staleAfterMs: number): boolean {
  const ageMs = Date.now() - e.mtimeMs;
  if (ageMs > staleAfterMs) return true;
  if (e.info === null) return ageMs > UNREADABLE_GRACE_MS;
  return e.info.hostname === hostname() && !isPidAlive(e.info.pid);
}

function lockedError(projectName: string, e: Existing | null): AppError {
  const info = e?.info;
  const where = info
    ? info.hostname === hostname()
      ? `(pid ${info.pid})`
      : `on the computer “${info.hostname}” (pid ${info.pid})`
    : '(it is being opened right now)';
  return new AppError(
    'PROJECT_LOCKED',
    `The project “${projectName}” is open in another Calciquant window ${where}. Close it there, or — if no ` +
      'Calciquant is running with it any more — delete the file “.lock” in the project folder and try again.',
    { detail: e ? `lock: ${e.text.slice(0, 300)}` : undefined },
  );
}

function unwritableError(dir: string, e: unknown): AppError {
  const code = (e as NodeJS.ErrnoException).code ?? 'error';
  return new AppError(
    'OUTPUT_UNWRITABLE',
    `Calciquant cannot write in the project folder “${dir}” (${code}). Check that you may write there and that ` +
      'the drive is not read-only, or copy the project to a folder of your own.',
    { cause: e },
  );
}

/**
 * Removes a lock judged stale, under a short-lived `.lock.takeover` mutex (created with `wx`): only
 * its holder removes `.lock`, and only if it still holds exactly what was judged, so two instances
 * taking over the same stale lock cannot both win. 'busy' when another instance holds the mutex.
 */
async function removeStale(lockPath: string, judged: Existing): Promise<'removed' | 'busy'> {
  const mutex = `${lockPath}.takeover`;
  try {
    await writeFile(mutex, String(process.pid), { flag: 'wx' });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    const st = await stat(mutex).catch(() => null);
    if (st && Date.now() - st.mtimeMs > UNREADABLE_GRACE_MS) await rm(mutex, { force: true }); // its holder died
    return 'busy';
  }
  try {
    const now = await readFile(lockPath, 'utf8').catch(() => null);
    if (now === judged.text) await rm(lockPath, { force: true });
    return 'removed';
  } finally {
    await rm(mutex, { force: true });
  }
}

function startHeartbeat(lockPath: string, token: string): NodeJS.Timeout {
  const timer = setInterval(() => {
    void readFile(lockPath, 'utf8')
      .then((t) => (parseInfo(t)?.token === token ? utimes(lockPath, new Date(), new Date()) : undefined))
      .catch(() => undefined);
  }, HEARTBEAT_MS);
  timer.unref();
  return timer;
}

/** Takes the project's lock or throws PROJECT_LOCKED (or OUTPUT_UNWRITABLE for a read-only folder). */
export async function acquireLock(dir: string, projectName: string, o: LockOptions = {}): Promise<ProjectLock> {
  const lockPath = lockFilePath(dir);
  const info: LockInfo = {
    app: 'calciquant',
    pid: process.pid,
    hostname: hostname(),
    createdAt: new Date().toISOString(),
    token: randomBytes(12).toString('hex'),
  };
  let last: Existing | null = null;
  for (let attempt = 0; attempt < 40; attempt++) {
    try {
      await writeFile(lockPath, `${JSON.stringify(info)}\n`, { flag: 'wx' });
      return makeHandle(lockPath, info);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw unwritableError(dir, e);
    }
    last = await readExisting(lockPath);
    if (last === null) continue;
    if (!isStale(last, o.staleAfterMs ?? DEFAULT_STALE_AFTER_MS)) throw lockedError(projectName, last);
    if ((await removeStale(lockPath, last).catch(() => 'busy')) === 'busy') await sleep(25);
  }
  throw lockedError(projectName, last);
}

function makeHandle(lockPath: string, info: LockInfo): ProjectLock {
  const timer = startHeartbeat(lockPath, info.token);
  let released = false;
  return {
    info,
    async release() {
      if (released) return;
      released = true;
      clearInterval(timer);
      const current = await readFile(lockPath, 'utf8').catch(() => null);
      if (current !== null && parseInfo(current)?.token === info.token) await rm(lockPath, { force: true });
    },
  };
}
