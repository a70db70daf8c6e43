/**
 * Worker pool: real worker threads running small `.js` modules written at test time into a temp
 * dir. They import the compiled runtime from dist/ (run `npm run build:core` first; `npm test` does).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createWorkerPool,
  defaultPoolSize,
  resolveCompiledPath,
  type WorkerPool,
  type WorkerPoolOptions,
} from '../../../src/workers/pool.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const RUNTIME = path.join(ROOT, 'dist/src/workers/worker-runtime.js');
const ERRORS = path.join(ROOT, 'dist/src/common/errors.js');

// Requests understood by the test worker.
type Req =
  | { op: 'echo'; x: number }
  | { op: 'sleep'; ms: number; x: number }
  | { op: 'spin'; ms: number }
  | { op: 'forever' }
  | { op: 'sum'; buf: ArrayBuffer }
  | { op: 'make'; n: number; transfer: boolean }
  | { op: 'lastLen' }
  | { op: 'count' }
  | { op: 'data' }
  | { op: 'talk' }
  | { op: 'fail' }
  | { op: 'bigalloc' }
  | { op: 'unsendable' }
  | { op: 'echo'; x: () => void }
  | { op: 'uncaught' }
  | { op: 'exit' }
  | { op: 'oom' };

const MAIN_WORKER = `
import { threadId } from 'node:worker_threads';
import { serveWorker } from ${JSON.stringify(pathToFileURL(RUNTIME).href)};
import { AppError } from ${JSON.stringify(pathToFileURL(ERRORS).href)};
let handled = 0;
let lastBuf = null;
serveWorker((data) => ({ data }), async (req, ctx, io) => {
  handled++;
  switch (req.op) {
    case 'echo': return { value: { x: req.x, n: handled, threadId } };
    case 'sleep': await new Promise((r) => setTimeout(r, req.ms)); return { value: { x: req.x, threadId } };
    case 'spin': {
      const start = Date.now();
      let i = 0;
      while (Date.now() - start < req.ms) i++;
      return { value: { start, end: Date.now(), threadId, i } };
    }
    case 'forever': io.progress(0.1); for (;;) {}
    case 'sum': { const a = new Uint8Array(req.buf); let s = 0; for (const v of a) s += v; return { value: { sum: s, len: a.length } }; }
    case 'make': { const b = new ArrayBuffer(req.n); new Uint8Array(b).fill(7); lastBuf = b; return { value: b, transfer: req.transfer ? [b] : [] }; }
    case 'lastLen': return { value: lastBuf ? lastBuf.byteLength : -1 };
    case 'count': return { value: handled };
    case 'data': return { value: ctx.data };
    case 'talk': io.log('half way'); io.progress(0.5); io.progress(7); return { value: 'done' };
    case 'fail': throw new AppError('IMAGE_UNREADABLE', 'That image could not be opened.');
    case 'bigalloc': return { value: new ArrayBuffer(2 ** 40) };
    case 'unsendable': return { value: { f: () => 1 } };
    case 'uncaught': setTimeout(() => { throw new Error('boom at top level'); }, 0); return new Promise(() => {});
    case 'exit': process.exit(3);
    case 'oom': { const a = []; for (;;) a.push({ x: new Array(1000).fill(1) }); }
  }
  throw new Error('unknown op ' + req.op);
});
`;

// init throws (after leaving a trace of the attempt in the file named by workerData).
const BAD_INIT_WORKER = `
import { appendFileSync } from 'node:fs';
import { serveWorker } from ${JSON.stringify(pathToFileURL(RUNTIME).href)};
import { AppError } from ${JSON.stringify(pathToFileURL(ERRORS).href)};
serveWorker((data) => {
  appendFileSync(data.file, 'attempt\\n');
  if (data.appError) throw new AppError('IMAGE_UNSUPPORTED', 'The image library could not be loaded.');
  throw new Error('init exploded');
}, async () => ({ value: 1 }));
`;

// The module itself throws while loading, before serveWorker.
const TOP_LEVEL_THROW_WORKER = `
import { appendFileSync } from 'node:fs';
import { workerData } from 'node:worker_threads';
appendFileSync(workerData.file, 'attempt\\n');
throw new Error('module failed to load');
`;

// init never finishes (think `await cv`).
const HANGING_INIT_WORKER = `
import { appendFileSync } from 'node:fs';
import { serveWorker } from ${JSON.stringify(pathToFileURL(RUNTIME).href)};
serveWorker(async (data) => {
  appendFileSync(data.file, 'attempt\\n');
  await new Promise((r) => setTimeout(r, 60_000));
}, async () => ({ value: 1 }));
`;

let dir = '';
const worker = (name: string): string => path.join(dir, name);
const pools: WorkerPool<unknown, unknown>[] = [];

function makePool<Res = unknown>(o: Partial<WorkerPoolOptions> = {}): WorkerPool<Req, Res> {
  const pool = createWorkerPool<Req, Res>({ workerPath: worker('main.js'), size: 2, ...o });
  pools.push(pool as WorkerPool<unknown, unknown>);
  return pool;
}

/** Rejection of `p` as a plain record (the pool rejects with AppError; identify by `code`). */
async function failure(p: Promise<unknown>): Promise<{ code: string; userMessage: string; name: string }> {
  try {
    await p;
  } catch (e) {
    return e as { code: string; userMessage: string; name: string };
  }
  throw new Error('expected a rejection');
}

const attempts = (file: string): number =>
  existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean).length : 0;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(() => {
  if (!existsSync(RUNTIME)) throw new Error(`${RUNTIME} is missing: run npm run build:core`);
  dir = mkdtempSync(path.join(os.tmpdir(), 'calciquant-pool-'));
  writeFileSync(path.join(dir, 'package.json'), '{ "type": "module" }\n');
  writeFileSync(worker('main.js'), MAIN_WORKER);
  writeFileSync(worker('bad-init.js'), BAD_INIT_WORKER);
  writeFileSync(worker('top-level-throw.js'), TOP_LEVEL_THROW_WORKER);
  writeFileSync(worker('hanging-init.js'), HANGING_INIT_WORKER);
});
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.destroy()));
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('worker pool: results and dispatch', () => {
  it('default size is availableParallelism capped at 4, at least 1', () => {
    expect(defaultPoolSize()).toBe(Math.max(1, Math.min(4, os.availableParallelism())));
    expect(makePool({ size: undefined }).size).toBe(defaultPoolSize());
  });

  it('returns each result to its caller with more tasks than workers, using every worker', async () => {
    const pool = makePool<{ x: number; threadId: number }>();
    const delays = [60, 10, 40, 10, 30, 10, 20];
    const runs = delays.map((ms, x) => pool.run({ op: 'sleep', ms, x }));
    expect(pool.stats()).toMatchObject({ queued: 7, busy: 0 }); // workers start lazily
    await sleep(5);
    const results = await Promise.all(runs);
    expect(results.map((r) => r.x)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(new Set(results.map((r) => r.threadId)).size).toBe(2);
    expect(pool.stats()).toEqual({ busy: 0, queued: 0, respawns: 0 });
  });

  it('runs tasks in FIFO order, one at a time per worker', async () => {
    const pool = makePool<{ x: number; n: number }>({ size: 1 });
    const results = await Promise.all([0, 1, 2, 3, 4].map((x) => pool.run({ op: 'echo', x })));
    expect(results.map((r) => [r.x, r.n])).toEqual([[0, 1], [1, 2], [2, 3], [3, 4], [4, 5]]);
  });

  it('runs two CPU-bound tasks at the same time on two threads', async () => {
    const pool = makePool<{ start: number; end: number; threadId: number }>({ size: 2 });
    const [a, b] = await Promise.all([pool.run({ op: 'spin', ms: 300 }), pool.run({ op: 'spin', ms: 300 })]);
    expect(a.threadId).not.toBe(b.threadId);
    // Overlapping busy intervals: both were computing at once (asserts concurrency, not speed).
    expect(Math.max(a.start, b.start)).toBeLessThan(Math.min(a.end, b.end));
  });

  it('passes workerData to init and forwards log and progress of the task', async () => {
    const pool = makePool({ size: 1, workerData: { answer: 42 } });
    expect(await pool.run({ op: 'data' })).toEqual({ answer: 42 });
    const logs: string[] = [];
    const fractions: number[] = [];
    const value = await pool.run({ op: 'talk' }, { onLog: (m) => logs.push(m), onProgress: (f) => fractions.push(f) });
    expect(value).toBe('done');
    expect(logs).toEqual(['half way']);
    expect(fractions).toEqual([0.5, 1]); // clamped to 0–1
    // A throwing callback is contained.
    const bad = () => {
      throw new Error('callback bug');
    };
    expect(await pool.run({ op: 'talk' }, { onLog: bad, onProgress: bad })).toBe('done');
  });

  it('rejects with the code the handler threw, and the worker lives on', async () => {
    const pool = makePool<{ threadId: number }>({ size: 1 });
    const first = await pool.run({ op: 'echo', x: 1 });
    const e = await failure(pool.run({ op: 'fail' }));
    expect(e).toMatchObject({ name: 'AppError', code: 'IMAGE_UNREADABLE', userMessage: 'That image could not be opened.' });
    expect((await pool.run({ op: 'echo', x: 2 })).threadId).toBe(first.threadId);
    expect(pool.stats().respawns).toBe(0);
  });

  it('fails only the task whose request or result cannot cross threads', async () => {
    const pool = makePool<unknown>({ size: 1 });
    const bad = await failure(pool.run({ op: 'echo', x: () => undefined }));
    expect(bad.code).toBe('INTERNAL');
    expect(bad.userMessage).toMatch(/could not be sent/);
    const unsendable = await failure(pool.run({ op: 'unsendable' }));
    expect(unsendable.code).toBe('INTERNAL');
    expect(unsendable.userMessage).toMatch(/could not be passed back/);
    expect(await pool.run({ op: 'echo', x: 3 })).toMatchObject({ x: 3 });
    expect(pool.stats().respawns).toBe(0);
  });
});

describe('worker pool: buffers are transferred, not copied', () => {
  it('moves request buffers to the worker (the sender’s buffer is detached)', async () => {
    const pool = makePool({ size: 1 });
    const buf = new Uint8Array(100_000).fill(2).buffer;
    expect(await pool.run({ op: 'sum', buf }, { transfer: [buf] })).toEqual({ sum: 200_000, len: 100_000 });
    expect(buf.byteLength).toBe(0);
    const kept = new Uint8Array(10).fill(1).buffer; // control: without a transfer list it is copied
    expect(await pool.run({ op: 'sum', buf: kept })).toEqual({ sum: 10, len: 10 });
    expect(kept.byteLength).toBe(10);
  });

  it('moves result buffers to the host (the worker’s buffer is detached)', async () => {
    const pool = makePool<unknown>({ size: 1 });
    const n = 4 << 20;
    const out = (await pool.run({ op: 'make', n, transfer: true })) as ArrayBuffer;
    expect(out).toBeInstanceOf(ArrayBuffer);
    expect(out.byteLength).toBe(n);
    expect(new Uint8Array(out)[n - 1]).toBe(7);
    expect(await pool.run({ op: 'lastLen' })).toBe(0);
    await pool.run({ op: 'make', n, transfer: false }); // control: copied, the worker keeps its own
    expect(await pool.run({ op: 'lastLen' })).toBe(n);
  });
});

describe('worker pool: cancel', () => {
  it('rejects at once when the signal is already aborted', async () => {
    const pool = makePool();
    const e = await failure(pool.run({ op: 'echo', x: 1 }, { signal: AbortSignal.abort() }));
    expect(e.code).toBe('CANCELLED');
  });

  it('removes a queued task; it never runs', async () => {
    const pool = makePool({ size: 1 });
    const first = pool.run({ op: 'sleep', ms: 150, x: 1 });
    const ac = new AbortController();
    const second = pool.run({ op: 'echo', x: 2 }, { signal: ac.signal });
    expect(pool.stats().queued).toBe(2);
    ac.abort();
    expect((await failure(second)).code).toBe('CANCELLED');
    expect(pool.stats().queued).toBe(1);
    await first;
    expect(await pool.run({ op: 'count' })).toBe(2); // 'sleep' and 'count': the echo never ran
    expect(pool.stats().respawns).toBe(0);
  });

  it('terminates a running task within well under a second; the pool keeps working', async () => {
    const pool = makePool<{ x: number }>({ size: 1 });
    const ac = new AbortController();
    let started!: () => void;
    const isRunning = new Promise<void>((r) => (started = r));
    const running = pool.run({ op: 'forever' }, { signal: ac.signal, onProgress: () => started() });
    await isRunning;
    const t0 = performance.now();
    ac.abort();
    const e = await failure(running);
    expect(e.code).toBe('CANCELLED');
    expect(performance.now() - t0).toBeLessThan(250);
    expect(pool.stats()).toMatchObject({ busy: 0, respawns: 1 });
    expect((await pool.run({ op: 'echo', x: 5 })).x).toBe(5);
  });
});

describe('worker pool: crashes fail only their task', () => {
  it.each([
    ['an uncaught exception', { op: 'uncaught' } as Req, 'WORKER_CRASHED'],
    ['process.exit', { op: 'exit' } as Req, 'WORKER_CRASHED'],
    ['running out of heap', { op: 'oom' } as Req, 'WORKER_OUT_OF_MEMORY'],
  ])('%s', async (_name, req, code) => {
    const pool = makePool<unknown>({ size: 2, resourceLimits: { maxOldGenerationSizeMb: 16 } });
    const other = pool.run({ op: 'sleep', ms: 300, x: 1 });
    const e = await failure(pool.run(req));
    expect(e.code).toBe(code);
    if (code === 'WORKER_OUT_OF_MEMORY') expect(e.userMessage).toMatch(/ran out of memory/);
    else expect(e.userMessage).toMatch(/stopped unexpectedly/);
    expect(await other).toMatchObject({ x: 1 }); // the other worker's task is untouched
    const later = await Promise.all([1, 2, 3].map((x) => pool.run({ op: 'echo', x })));
    expect(later.map((r) => (r as { x: number }).x)).toEqual([1, 2, 3]);
    expect(pool.stats().respawns).toBe(1);
  });

  it('reports a caught allocation failure as WORKER_OUT_OF_MEMORY and replaces the worker', async () => {
    const pool = makePool<{ threadId: number }>({ size: 1 });
    const before = await pool.run({ op: 'echo', x: 0 });
    const e = await failure(pool.run({ op: 'bigalloc' }));
    expect(e).toMatchObject({ code: 'WORKER_OUT_OF_MEMORY' });
    expect(e.userMessage).toMatch(/ran out of memory/);
    expect((await pool.run({ op: 'echo', x: 1 })).threadId).not.toBe(before.threadId);
    expect(pool.stats().respawns).toBe(1);
  });
});

describe('worker pool: start-up failures are bounded', () => {
  it.each([
    ['init throws', 'bad-init.js'],
    ['the module throws while loading', 'top-level-throw.js'],
  ])('%s: queued tasks fail with a clear error after 3 attempts, no endless respawn', async (_name, file) => {
    const log = path.join(dir, `${file}.attempts`);
    const pool = makePool({ workerPath: worker(file), size: 2, workerData: { file: log } });
    const errors = await Promise.all([1, 2, 3].map((x) => failure(pool.run({ op: 'echo', x }))));
    for (const e of errors) {
      expect(e.code).toBe('WORKER_CRASHED');
      expect(e.userMessage).toMatch(/could not start \(3 attempts failed\)/);
    }
    expect(attempts(log)).toBe(3);
    const { respawns } = pool.stats();
    await sleep(300);
    expect(attempts(log)).toBe(3);
    expect(pool.stats()).toEqual({ busy: 0, queued: 0, respawns });
    // A later call tries again, just as boundedly.
    expect((await failure(pool.run({ op: 'echo', x: 4 }))).code).toBe('WORKER_CRASHED');
    expect(attempts(log)).toBe(6);
  });

  it('includes the init error’s own user message when it has one', async () => {
    const log = path.join(dir, 'app-error.attempts');
    const pool = makePool({ workerPath: worker('bad-init.js'), size: 1, workerData: { file: log, appError: true } });
    const e = await failure(pool.run({ op: 'echo', x: 1 }));
    expect(e.code).toBe('WORKER_CRASHED');
    expect(e.userMessage).toMatch(/could not start.*The image library could not be loaded\./);
  });

  it('gives up on a worker whose init never finishes (initTimeoutMs)', async () => {
    const log = path.join(dir, 'hang.attempts');
    const pool = makePool({ workerPath: worker('hanging-init.js'), size: 1, workerData: { file: log }, initTimeoutMs: 150 });
    const t0 = performance.now();
    const e = await failure(pool.run({ op: 'echo', x: 1 }));
    expect(e.code).toBe('WORKER_CRASHED');
    expect(attempts(log)).toBe(3);
    expect(performance.now() - t0).toBeLessThan(3000);
  });
});

describe('worker pool: destroy', () => {
  it('rejects running and queued tasks with CANCELLED and refuses new ones', async () => {
    const pool = makePool({ size: 1 });
    const running = failure(pool.run({ op: 'sleep', ms: 10_000, x: 1 }));
    const queued = [failure(pool.run({ op: 'echo', x: 2 })), failure(pool.run({ op: 'echo', x: 3 }))];
    while (pool.stats().busy === 0) await sleep(5);
    expect(pool.stats()).toMatchObject({ busy: 1, queued: 2 });
    const t0 = performance.now();
    await pool.destroy();
    expect(performance.now() - t0).toBeLessThan(1000);
    for (const e of await Promise.all([running, ...queued])) expect(e.code).toBe('CANCELLED');
    expect((await failure(pool.run({ op: 'echo', x: 4 }))).code).toBe('CANCELLED');
    expect(pool.stats()).toMatchObject({ busy: 0, queued: 0 });
    await pool.destroy(); // idempotent
  });
});

describe('resolveCompiledPath', () => {
  it('maps a .ts caller under src/ to its compiled sibling in dist/src/', () => {
    const caller = pathToFileURL(path.join(ROOT, 'src/workers/pool.ts')).href;
    expect(resolveCompiledPath(caller, './worker-runtime.js')).toBe(RUNTIME);
    expect(resolveCompiledPath(caller, '../common/errors.js')).toBe(ERRORS);
  });

  it('resolves next to a compiled caller', () => {
    const caller = pathToFileURL(path.join(ROOT, 'dist/src/workers/pool.js')).href;
    expect(resolveCompiledPath(caller, './worker-runtime.js')).toBe(RUNTIME);
    const elsewhere = pathToFileURL(path.join(dir, 'host.js')).href;
    expect(resolveCompiledPath(elsewhere, './main.js')).toBe(worker('main.js'));
  });

  it('throws a clear error when the file does not exist', () => {
    const caller = pathToFileURL(path.join(ROOT, 'src/workers/pool.ts')).href;
    expect(() => resolveCompiledPath(caller, './no-such-worker.js')).toThrow(/npm run build:core/);
    expect(() => createWorkerPool({ workerPath: worker('missing.js') })).toThrow(/npm run build:core/);
  });
});
