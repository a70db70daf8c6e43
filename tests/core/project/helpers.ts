/** Shared helpers for the project-store tests. */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'vitest';
import { writeRgbPng, type Rgb } from '../helpers/image-fixtures.js';

/** A small PNG with a distinct solid colour per `n` (distinct content → distinct SHA-256). */
export async function writeImage(dir: string, name: string, n: number, w = 24, h = 16): Promise<string> {
  const rgb: Rgb = [(n * 37) % 256, (n * 91 + 13) % 256, (n * 53 + 101) % 256];
  return writeRgbPng(dir, name, w, h, { rgb });
}

/** Every file below `dir` (relative, `/`-separated), sorted. */
export async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string, rel: string): Promise<void> => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) await walk(path.join(d, e.name), r);
      else out.push(r);
    }
  };
  await walk(dir, '');
  return out.sort();
}

/** Awaits `p`, expects it to reject with an AppError-like error, and returns it. */
export async function rejection(p: Promise<unknown>): Promise<{ code: string; userMessage: string; message: string }> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e, 'expected a rejection').not.toBeNull();
  return e as { code: string; userMessage: string; message: string };
}

export { fakeRoi, gesture, seqOf } from './fake-rois.js';
