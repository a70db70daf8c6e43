import { spawnSync } from 'node:child_process';
import { readFile, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireLock } from '../../../src/project/lock.js';
import { createProject, openProject } from '../../../src/project/store.js';
import { makeTempDir, removeTempDir } from '../helpers/image-fixtures.js';
import { listFiles, rejection } from './helpers.js';

let root: string;
let proj: string;
const lockPath = (): string => path.join(proj, '.lock');

beforeEach(async () => {
  root = await makeTempDir('calciquant-lock-');
  proj = path.join(root, 'Locked.calciquant');
  await (await createProject(proj, 'Locked')).close();
});
afterEach(async () => {
  await removeTempDir(root);
});

function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', '']);
  return r.pid!;
}

async function writeLock(info: Record<string, unknown>, ageMs = 0): Promise<void> {
  await writeFile(lockPath(), JSON.stringify({ app: 'calciquant', createdAt: new Date().toISOString(), token: 'other', ...info }));
  const t = new Date(Date.now() - ageMs);
  await utimes(lockPath(), t, t);
}

describe('project lock', () => {
  it('refuses a second open while the first holds the project, and frees it on close', async () => {
    const first = await openProject(proj);
    const lock = JSON.parse(await readFile(lockPath(), 'utf8')) as Record<string, unknown>;
    expect(lock).toMatchObject({ app: 'calciquant', pid: process.pid, hostname: hostname() });
    const e = await rejection(openProject(proj));
    expect(e.code).toBe('PROJECT_LOCKED');
    expect(e.userMessage).toBe(
      `The project “Locked.calciquant” is open in another Calciquant window (pid ${process.pid}). Close it there, or — if ` +
        'no Calciquant is running with it any more — delete the file “.lock” in the project folder and try again.',
    );
    await first.close();
    expect((await listFiles(proj)).includes('.lock')).toBe(false);
    await (await openProject(proj)).close();
  });

  it('takes over a stale lock: dead pid on this host, or not touched for longer than the limit', async () => {
    await writeLock({ pid: deadPid(), hostname: hostname() });
    const s = await openProject(proj);
    expect(JSON.parse(await readFile(lockPath(), 'utf8'))).toMatchObject({ pid: process.pid });
    await s.close();

    await writeLock({ pid: process.ppid, hostname: 'lab-pc-2' }, 13 * 3600_000);
    await (await openProject(proj)).close();

    await writeLock({ pid: process.ppid, hostname: hostname() }, 2 * 3600_000); // live pid, but older than 1 h
    await (await openProject(proj, { staleLockAfterMs: 3600_000 })).close();
    expect((await listFiles(proj)).filter((f) => f.startsWith('.lock'))).toEqual([]);
  });

  it('respects a live lock of another process or computer', async () => {
    await writeLock({ pid: process.ppid, hostname: hostname() }, 60_000);
    expect((await rejection(openProject(proj))).userMessage).toMatch(new RegExp(`\\(pid ${process.ppid}\\)\\. Close it there`));
    await writeLock({ pid: 4242, hostname: 'lab-pc-2' }, 3600_000);
    expect((await rejection(openProject(proj))).userMessage).toMatch(/open in another Calciquant window on the computer “lab-pc-2” \(pid 4242\)/);
    expect(JSON.parse(await readFile(lockPath(), 'utf8'))).toMatchObject({ token: 'other' }); // untouched
  });

  it('treats an unreadable lock as being written now, and as stale after a grace period', async () => {
    await writeFile(lockPath(), '');
    expect((await rejection(openProject(proj))).userMessage).toMatch(/\(it is being opened right now\)/);
    const old = new Date(Date.now() - 120_000);
    await utimes(lockPath(), old, old);
    await (await openProject(proj)).close();
  });

  it('release only removes its own lock', async () => {
    const lock = await acquireLock(proj, 'x');
    await writeLock({ pid: 1, hostname: 'elsewhere' }); // someone took it over meanwhile
    await lock.release();
    expect(JSON.parse(await readFile(lockPath(), 'utf8'))).toMatchObject({ hostname: 'elsewhere' });
  });

  it('one of several simultaneous opens wins, also when they all take over the same stale lock', async () => {
    for (const stale of [false, true]) {
      if (stale) await writeLock({ pid: deadPid(), hostname: hostname() });
      await oneWins();
    }
  });
});

async function oneWins(): Promise<void> {
  {
    const tries = await Promise.allSettled(Array.from({ length: 6 }, () => openProject(proj, { verify: 'size' })));
    const won = tries.filter((t) => t.status === 'fulfilled');
    expect(won).toHaveLength(1);
    for (const t of tries) if (t.status === 'rejected') expect((t.reason as { code: string }).code).toBe('PROJECT_LOCKED');
    await (won[0] as PromiseFulfilledResult<Awaited<ReturnType<typeof openProject>>>).value.close();
  }
}
