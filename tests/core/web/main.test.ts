/** `npm run web`'s entry (src/web/main.ts), run through tsx as a child process. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findPackageRoot, parseWebArgs, UsageError } from '../../../src/web/main.js';

const repoRoot = path.resolve(import.meta.dirname, '../../..');
const mainTs = path.join(repoRoot, 'src/web/main.ts');
let baseDir: string;

beforeAll(async () => {
  baseDir = await mkdtemp(path.join(os.tmpdir(), 'calciquant-web-main-'));
});
afterAll(() => rm(baseDir, { recursive: true, force: true }));

function runMain(args: string[]): { child: ChildProcess; output: () => { stdout: string; stderr: string }; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', mainTs, ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '', stderr = '';
  child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => ({ stdout, stderr }), exited };
}

describe('parseWebArgs', () => {
  it('defaults to a free port and dist/renderer under the package root', () => {
    expect(findPackageRoot(path.join(repoRoot, 'src', 'web'))).toBe(repoRoot);
    expect(parseWebArgs([], repoRoot)).toEqual({ port: 0, staticDir: path.join(repoRoot, 'dist', 'renderer') });
    expect(parseWebArgs(['--port', '8123', '--static', '/x/y', '--no-open'], null)).toEqual({ port: 8123, staticDir: '/x/y' });
  });

  it('rejects bad ports and unknown flags', () => {
    for (const argv of [['--port', '70000'], ['--port', 'abc'], ['--port', '-1'], ['--port', '1.5'], ['--bogus'], ['extra']]) {
      expect(() => parseWebArgs(argv, repoRoot), argv.join(' ')).toThrow(UsageError);
    }
  });
});

describe('npm run web entry', () => {
  it('exits 1 with a clear message when the renderer is not built', async () => {
    const run = runMain(['--static', path.join(baseDir, 'missing')]);
    expect(await run.exited).toBe(1);
    expect(run.output().stderr).toContain('npm run build:renderer');
  });

  it('prints the address, serves the app, and stops cleanly on SIGTERM', async () => {
    const staticDir = path.join(baseDir, 'static');
    await mkdir(staticDir, { recursive: true });
    await writeFile(path.join(staticDir, 'index.html'), '<!doctype html><title>ok</title>');
    const run = runMain(['--static', staticDir]);
    const line = /Calciquant is running at (http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{64}) \(Ctrl-C to stop\)/;
    const start = Date.now();
    while (!line.test(run.output().stdout)) {
      if (Date.now() - start > 30_000) throw new Error(`no address printed: ${JSON.stringify(run.output())}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const url = new URL(line.exec(run.output().stdout)![1]!);
    const page = await fetch(new URL('/', url));
    expect(await page.text()).toContain('<title>ok</title>');
    const info = await fetch(new URL('/api/call/getAppInfo', url), {
      method: 'POST',
      headers: { Authorization: `Bearer ${url.searchParams.get('token')}` },
      body: '{"args":[]}',
    });
    expect(await info.json()).toMatchObject({ ok: true, value: { presets: expect.any(Array) } });
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    await expect(fetch(new URL('/', url))).rejects.toThrow();
  });
});
