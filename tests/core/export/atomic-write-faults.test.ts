/** Injected file-system faults: a failed write must leave the previous file and no temp file. */
import * as realFs from 'node:fs/promises';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('node:fs/promises', async (importOriginal) => {
  const orig = await importOriginal<typeof import('node:fs/promises')>();
  return { ...orig, rename: vi.fn(orig.rename), open: vi.fn(orig.open) };
});

const { writeFileAtomic } = await import('../../../src/io/atomic-write.js');

function errnoError(code: string): Error {
  return Object.assign(new Error(`${code}: simulated`), { code });
}

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'calciquant-faults-'));
});
afterEach(async () => {
  vi.mocked(realFs.rename).mockReset();
  vi.mocked(realFs.open).mockReset();
  await rm(dir, { recursive: true, force: true });
});

describe('writeFileAtomic under faults', () => {
  it('disk full half-way: old file intact, temp removed, message says disk full', async () => {
    const p = join(dir, 'results.csv');
    await writeFile(p, 'old');
    const actual = await vi.importActual<typeof import('node:fs/promises')>('node:fs/promises');
    vi.mocked(realFs.open).mockImplementationOnce(async (path, flags, mode) => {
      const fh = await actual.open(path, flags, mode);
      return {
        writeFile: async (data: Uint8Array | string) => {
          await fh.writeFile(typeof data === 'string' ? data.slice(0, 2) : data.subarray(0, 2));
          throw errnoError('ENOSPC');
        },
        sync: () => fh.sync(),
        close: () => fh.close(),
      } as unknown as realFs.FileHandle;
    });
    const err = (await writeFileAtomic(p, 'new content').catch((e: unknown) => e)) as {
      code: string;
      userMessage: string;
    };
    expect(err.code).toBe('OUTPUT_UNWRITABLE');
    expect(err.userMessage).toContain(p);
    expect(err.userMessage).toMatch(/disk is full/);
    expect(await readFile(p, 'utf8')).toBe('old');
    expect(await readdir(dir)).toEqual(['results.csv']);
  });

  it('rename refused: old file intact, temp removed', async () => {
    const p = join(dir, 'results.csv');
    await writeFile(p, 'old');
    vi.mocked(realFs.rename).mockRejectedValueOnce(errnoError('EBUSY'));
    const err = (await writeFileAtomic(p, 'new').catch((e: unknown) => e)) as { code: string; userMessage: string };
    expect(err.code).toBe('OUTPUT_UNWRITABLE');
    expect(err.userMessage).toMatch(/open in another program/);
    expect(await readFile(p, 'utf8')).toBe('old');
    expect(await readdir(dir)).toEqual(['results.csv']);
  });
});
