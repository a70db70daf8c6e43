/** Shared by the decode tests: a temp folder per file, and decodeImage expected to fail. */
import { afterAll, beforeAll } from 'vitest';
import { decodeImage, type DecodeOptions, type DecodedImage } from '../../../src/io/decode.js';
import * as F from '../helpers/image-fixtures.js';

/** A fresh temp folder for the calling test file, handed to `ready` before its tests and removed after. */
export function useTempDir(ready: (dir: string) => void): void {
  let dir = '';
  beforeAll(async () => {
    dir = await F.makeTempDir();
    ready(dir);
  });
  afterAll(async () => {
    await F.removeTempDir(dir);
  });
}

export interface Caught {
  name: string;
  code: string;
  userMessage: string;
  message: string;
}

/** Runs decodeImage expecting it to fail with an AppError (every decode failure must be one); returns its fields. */
export async function decodeError(file: string, opts?: DecodeOptions): Promise<Caught> {
  try {
    await decodeImage(file, opts);
  } catch (e) {
    const x = e as Caught;
    if (x.name !== 'AppError') throw new Error(`decodeImage(${file}) failed with ${x.name}, not an AppError: ${x.message}`);
    return { name: x.name, code: x.code, userMessage: x.userMessage, message: x.message };
  }
  throw new Error(`decodeImage(${file}) did not fail`);
}

/** RGB of pixel (x, y). */
export function px(img: DecodedImage, x: number, y: number): number[] {
  const i = (y * img.width + x) * 3;
  return [img.data[i]!, img.data[i + 1]!, img.data[i + 2]!];
}
