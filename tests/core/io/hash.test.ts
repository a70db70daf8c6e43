import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256File } from '../../../src/io/hash.js';
import { makeTempDir, removeTempDir } from '../helpers/image-fixtures.js';

let dir: string;
beforeAll(async () => {
  dir = await makeTempDir();
});
afterAll(async () => {
  await removeTempDir(dir);
});

describe('sha256File', () => {
  it('hashes known contents', async () => {
    const abc = join(dir, 'abc.txt');
    await writeFile(abc, 'abc');
    expect(await sha256File(abc)).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    const empty = join(dir, 'empty');
    await writeFile(empty, '');
    expect(await sha256File(empty)).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('hashes a multi-chunk file like a one-shot hash (path with spaces and non-ASCII)', async () => {
    const data = Buffer.alloc(3 * 1024 * 1024 + 17);
    for (let i = 0; i < data.length; i++) data[i] = (i * 31 + (i >> 10)) & 0xff;
    const file = join(dir, 'Probe Ä µ 1.tif');
    await writeFile(file, data);
    expect(await sha256File(file)).toBe(createHash('sha256').update(data).digest('hex'));
  });

  it('throws AppError naming the file when it is missing or a folder', async () => {
    await expect(sha256File(join(dir, 'gone.tif'))).rejects.toMatchObject({
      name: 'AppError',
      code: 'IMAGE_UNREADABLE',
      userMessage: '“gone.tif” was not found. Check that the file still exists and was not moved or renamed.',
    });
    await expect(sha256File(dir)).rejects.toMatchObject({ name: 'AppError', code: 'INPUT_INVALID' });
  });
});
