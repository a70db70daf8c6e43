/**
 * Layering (STYLE.md §1): nothing under src/ may import electron, react or the DOM.
 * 1) importing the core with those modules mocked to throw must work;
 * 2) a static scan of every source file finds no such import and no DOM globals.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => {
  throw new Error('src/ must not import electron');
});
vi.mock('react', () => {
  throw new Error('src/ must not import react');
});
vi.mock('react-dom', () => {
  throw new Error('src/ must not import react-dom');
});

const root = path.resolve(import.meta.dirname, '../../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n);
    return statSync(p).isDirectory() ? sourceFiles(p) : /\.tsx?$/.test(n) ? [p] : [];
  });
}

/** Source with line and block comments removed (good enough for import/global scans). */
function stripComments(src: string): string {
  return src.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}

describe('layer boundaries of src/', () => {
  it('imports the whole core with electron/react mocked to throw', async () => {
    const core = await import('../../src/index.js');
    expect(typeof core.createCore).toBe('function');
    expect(typeof core.analyzeImage).toBe('function');
  });

  it('no source file imports electron, react, react-dom or uses DOM globals', () => {
    const files = sourceFiles(root);
    expect(files.length).toBeGreaterThan(20);
    const offenders: string[] = [];
    for (const f of files) {
      const text = stripComments(readFileSync(f, 'utf8'));
      if (/from\s+['"](electron|react|react-dom)(\/[^'"]*)?['"]/.test(text) || /import\(\s*['"](electron|react)/.test(text)) offenders.push(`${f}: imports a UI/electron module`);
      if (/\b(window|document|navigator|localStorage)\s*\./.test(text)) offenders.push(`${f}: uses a DOM global`);
    }
    expect(offenders).toEqual([]);
  });

  it('src/common imports nothing from the rest of src/ and no Node modules', () => {
    for (const f of sourceFiles(path.join(root, 'common'))) {
      const text = readFileSync(f, 'utf8');
      const imports = [...text.matchAll(/from\s+['"]([^'"]+)['"]/g)].map((m) => m[1]!);
      for (const i of imports) {
        expect(i.startsWith('node:') || i === 'sharp' || i.startsWith('../'), `${f} imports ${i}`).toBe(false);
      }
    }
  });
});
