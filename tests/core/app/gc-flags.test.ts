/**
 * The pool's V8 flags (src/app/gc-flags.ts) and the CLI starting itself again with them
 * (bin/calciquant.js, which runs the compiled core in dist/: `npm test` builds it first).
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { gcMode, missingPoolFlags, POOL_V8_FLAGS, relaunchArgs, RELAUNCHED_ENV } from '../../../src/app/gc-flags.js';

const repoRoot = path.resolve(import.meta.dirname, '../../..');
const bin = path.join(repoRoot, 'bin', 'calciquant.js');
const compiledFlags = path.join(repoRoot, 'dist', 'src', 'app', 'gc-flags.js');
const built = existsSync(compiledFlags);

function run(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: repoRoot, env: { ...process.env, [RELAUNCHED_ENV]: '', ...env } });
    let stdout = '', stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('relaunchArgs', () => {
  const base = { scriptPath: '/x/cli.js', args: ['analyze', 'a b.jpg'], env: {} };

  it('adds the missing flags after node’s own options, then the script and its arguments', () => {
    expect(relaunchArgs({ ...base, execArgv: ['--max-old-space-size=4096'] }))
      .toEqual(['--max-old-space-size=4096', ...POOL_V8_FLAGS, '/x/cli.js', 'analyze', 'a b.jpg']);
  });

  it('does not relaunch a process that has the flags (either spelling), is itself a relaunch or is being debugged', () => {
    expect(relaunchArgs({ ...base, execArgv: POOL_V8_FLAGS })).toBeNull();
    expect(relaunchArgs({ ...base, execArgv: ['--single_threaded_gc', '--initial_old_space_size=512'] })).toBeNull();
    // a flag the user set (with another value) is left to the user
    expect(relaunchArgs({ ...base, execArgv: ['--initial-old-space-size=512'] })).toEqual(['--initial-old-space-size=512', '--single-threaded-gc', '/x/cli.js', 'analyze', 'a b.jpg']);
    expect(relaunchArgs({ ...base, execArgv: [], env: { [RELAUNCHED_ENV]: '1' } })).toBeNull();
    expect(relaunchArgs({ ...base, execArgv: ['--inspect-brk=9230'] })).toBeNull();
    expect(relaunchArgs({ ...base, execArgv: ['--inspect'] })).toBeNull();
  });

  it('lists the flags node lacks, by name (a value the user gave counts as given)', () => {
    expect(missingPoolFlags([])).toEqual([...POOL_V8_FLAGS]);
    expect(missingPoolFlags(['--initial-old-space-size=512'])).toEqual(['--single-threaded-gc']);
    expect(missingPoolFlags([...POOL_V8_FLAGS, '--expose-gc'])).toEqual([]);
  });

  it('is what the npm scripts that run the pool pass to node (web host, analyze, bench)', () => {
    const scripts = (JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    for (const name of ['web', 'analyze', 'bench']) {
      const nodeArgs = scripts[name]!.split('&&').at(-1)!.trim().split(/\s+/);
      expect(nodeArgs[0], name).toBe('node');
      expect(missingPoolFlags(nodeArgs.slice(1)), name).toEqual([]);
    }
  });

  it('reports the GC mode from node’s options', () => {
    expect(gcMode(['--single-threaded-gc'])).toBe('single-threaded');
    expect(gcMode(['--expose-gc'])).toBe('parallel');
  });
});

describe.skipIf(!built)('bin/calciquant.js', () => {
  it('starts itself again with single-threaded GC and passes on the exit code', async () => {
    const plain = await run([bin, '--version']);
    expect(plain.code).toBe(0);
    expect(plain.stdout).toMatch(/^\d+\.\d+\.\d+\nnode v\d+.*garbage collection single-threaded\n$/);
    // without the relaunch (already marked as one) the same process runs with V8's default GC
    expect((await run([bin, '--version'], { [RELAUNCHED_ENV]: '1' })).stdout).toContain('garbage collection parallel');
    // started with the flags: no second process needed, same answer
    expect((await run([...POOL_V8_FLAGS, bin, '--version'])).stdout).toContain('garbage collection single-threaded');
    const usage = await run([bin, 'no-such-command']);
    expect(usage.code).toBe(1);
    expect(usage.stderr).toContain('Unknown command');
  });

  it('passes SIGTERM on to the relaunched process and its exit code back', async () => {
    // a parent that relaunches a child which exits 7 on SIGTERM, once it says it is ready
    const child = "process.on('SIGTERM', () => process.exit(7)); setInterval(() => {}, 1000); process.stdout.write('ready\\n');";
    const parent = `const { runRelaunched } = await import(${JSON.stringify(pathToFileURL(compiledFlags).href)});
      process.exitCode = await runRelaunched(['-e', ${JSON.stringify(child)}]);`;
    const p = spawn(process.execPath, ['--input-type=module', '-e', parent], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    await new Promise<void>((resolve) => p.stdout.on('data', (c: Buffer) => c.toString().includes('ready') && resolve()));
    p.kill('SIGTERM');
    const code = await new Promise<number | null>((resolve) => p.on('exit', (c) => resolve(c)));
    expect(code).toBe(7);
  });
});
