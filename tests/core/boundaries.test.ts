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

  it('the analysis worker does not load zod (its modules, followed through runtime imports only)', () => {
    // a worker's heap is marked at every full GC (about one per 12 MP image): zod adds ~220
    // modules to it; recipes reach the worker already validated
    const { files, packages } = runtimeImports(path.join(root, 'workers', 'analysis-worker.ts'));
    expect(files.size).toBeGreaterThan(30);
    expect(files.has(path.join(root, 'pipeline', 'analyze.ts'))).toBe(true);
    expect(packages.has('sharp')).toBe(true);
    expect([...packages]).not.toContain('zod');
  });
});

/** `import type …`, or `import { type A, type B } from …`: gone after compilation. */
function isTypeOnly(statement: string): boolean {
  if (/^(import|export)\s+type\b/.test(statement)) return true;
  const names = /^(?:import|export)\s*\{([^}]*)\}/.exec(statement)?.[1];
  return names !== undefined && names.split(',').map((n) => n.trim()).filter(Boolean).every((n) => n.startsWith('type '));
}

/** The source files and packages `entry` loads at run time (static imports and re-exports). */
function runtimeImports(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>(), packages = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    const text = stripComments(readFileSync(file, 'utf8'));
    for (const m of text.matchAll(/^\s*((?:import|export)\b(?:[^'";]*?\bfrom\s*|\s+))['"]([^'"]+)['"]/gm)) {
      if (isTypeOnly(m[1]!.trim())) continue;
      const spec = m[2]!;
      if (spec.startsWith('.')) visit(path.resolve(path.dirname(file), spec.replace(/\.js$/, '.ts')));
      else packages.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);
    }
  };
  visit(entry);
  return { files, packages };
}
