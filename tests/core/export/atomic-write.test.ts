import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensureWritableDir, writeFileAtomic } from '../../../src/io/atomic-write.js';

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'calciquant-atomic-'));
});
afterEach(async () => {
  await chmod(dir, 0o755).catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
});

async function expectAppError(p: Promise<unknown>, code: string): Promise<{ userMessage: string }> {
  const e = (await p.then(
    () => null,
    (err: unknown) => err,
  )) as { name?: string; code?: string; userMessage: string } | null;
  expect(e).not.toBeNull();
  expect(e!.name).toBe('AppError');
  expect(e!.code).toBe(code);
  return e!;
}

/** True when permission bits do not stop us (root, some CI containers): read-only tests are moot. */
async function ignoresPermissions(): Promise<boolean> {
  const probeDir = join(dir, 'perm-probe');
  await mkdir(probeDir);
  await chmod(probeDir, 0o555);
  try {
    await writeFile(join(probeDir, 'x'), 'x');
    return true;
  } catch {
    return false;
  } finally {
    await chmod(probeDir, 0o755);
    await rm(probeDir, { recursive: true, force: true });
  }
}

const leftovers = async (): Promise<string[]> => (await readdir(dir)).filter((n) => n.startsWith('.'));

describe('writeFileAtomic', () => {
  it('writes strings and bytes and leaves no temp file', async () => {
    const p = join(dir, 'results.csv');
    await writeFileAtomic(p, 'a,b\n1,2\n');
    expect(await readFile(p, 'utf8')).toBe('a,b\n1,2\n');
    await writeFileAtomic(p, new Uint8Array([1, 2, 3]));
    expect([...(await readFile(p))]).toEqual([1, 2, 3]);
    expect(await readdir(dir)).toEqual(['results.csv']);
  });

  it('keeps the previous version as .bak only when asked', async () => {
    const p = join(dir, 'project.json');
    await writeFileAtomic(p, 'v1', { keepBackup: true }); // nothing to back up yet
    expect(await readdir(dir)).toEqual(['project.json']);
    await writeFileAtomic(p, 'v2', { keepBackup: true });
    expect(await readFile(`${p}.bak`, 'utf8')).toBe('v1');
    await writeFileAtomic(p, 'v3', { keepBackup: true });
    expect(await readFile(p, 'utf8')).toBe('v3');
    expect(await readFile(`${p}.bak`, 'utf8')).toBe('v2');
    await writeFileAtomic(p, 'v4');
    expect(await readFile(`${p}.bak`, 'utf8')).toBe('v2');
    expect(await leftovers()).toEqual([]);
  });

  it('keeps the file mode of the file it replaces', async () => {
    const p = join(dir, 'script.sh');
    await writeFile(p, 'old');
    await chmod(p, 0o640);
    await writeFileAtomic(p, 'new');
    expect((await stat(p)).mode & 0o777).toBe(0o640);
  });

  it('a concurrent reader sees the old or the new file, never a partial one', async () => {
    const p = join(dir, 'big.bin');
    const oldData = new Uint8Array(12 << 20).fill(0x41);
    const newData = new Uint8Array(16 << 20).fill(0x42);
    await writeFileAtomic(p, oldData);
    let writing = true;
    let reads = 0;
    const reader = (async () => {
      while (writing || reads < 3) {
        const got = await readFile(p);
        const isOld = got.length === oldData.length && got.every((b) => b === 0x41);
        const isNew = got.length === newData.length && got.every((b) => b === 0x42);
        expect(isOld || isNew).toBe(true);
        reads++;
      }
    })();
    for (let k = 0; k < 4; k++) await writeFileAtomic(p, k % 2 === 0 ? newData : oldData);
    writing = false;
    await reader;
    expect(reads).toBeGreaterThan(0);
  });

  it('fails with OUTPUT_UNWRITABLE when the folder does not exist', async () => {
    const p = join(dir, 'missing', 'results.csv');
    const e = await expectAppError(writeFileAtomic(p, 'x'), 'OUTPUT_UNWRITABLE');
    expect(e.userMessage).toContain(p);
    expect(e.userMessage).toMatch(/does not exist/);
    expect(e.userMessage).toMatch(/another output folder/);
  });

  it('leaves the target intact and no temp file when the rename fails', async () => {
    const p = join(dir, 'results.csv');
    await mkdir(p); // a non-empty folder in the way: rename over it fails
    await writeFile(join(p, 'keep.txt'), 'keep');
    const e = await expectAppError(writeFileAtomic(p, 'new'), 'OUTPUT_UNWRITABLE');
    expect(e.userMessage).toContain(p);
    expect(await readFile(join(p, 'keep.txt'), 'utf8')).toBe('keep');
    expect(await leftovers()).toEqual([]);
  });

  it('leaves the previous file intact in a read-only folder', async (ctx) => {
    if (await ignoresPermissions()) ctx.skip();
    const p = join(dir, 'results.csv');
    await writeFile(p, 'old');
    await chmod(dir, 0o555);
    const e = await expectAppError(writeFileAtomic(p, 'new', { keepBackup: true }), 'OUTPUT_UNWRITABLE');
    expect(e.userMessage).toMatch(/permission/);
    await chmod(dir, 0o755);
    expect(await readFile(p, 'utf8')).toBe('old');
    expect(await readdir(dir)).toEqual(['results.csv']);
  });
});

describe('ensureWritableDir', () => {
  it('creates nested folders and leaves no probe behind', async () => {
    const d = join(dir, 'a', 'b', 'c');
    await ensureWritableDir(d);
    expect((await stat(d)).isDirectory()).toBe(true);
    expect(await readdir(d)).toEqual([]);
    await ensureWritableDir(d); // existing folder is fine
  });

  it('rejects a path that is a file', async () => {
    const f = join(dir, 'out');
    await writeFile(f, 'x');
    const e = await expectAppError(ensureWritableDir(f), 'OUTPUT_UNWRITABLE');
    expect(e.userMessage).toContain(f);
    expect(e.userMessage).toMatch(/exists but is a file/);
  });

  it('rejects a folder below a file', async () => {
    const f = join(dir, 'file');
    await writeFile(f, 'x');
    const e = await expectAppError(ensureWritableDir(join(f, 'sub')), 'OUTPUT_UNWRITABLE');
    expect(e.userMessage).toMatch(/not a folder/);
  });

  it('rejects a read-only folder', async (ctx) => {
    if (await ignoresPermissions()) ctx.skip();
    const d = join(dir, 'ro');
    await mkdir(d);
    await chmod(d, 0o555);
    const e = await expectAppError(ensureWritableDir(d), 'OUTPUT_UNWRITABLE');
    expect(e.userMessage).toContain(d);
    expect(e.userMessage).toMatch(/permission/);
    await chmod(d, 0o755);
    expect(await readdir(d)).toEqual([]);
  });
});
