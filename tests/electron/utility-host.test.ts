import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => import('./fake-electron.js'));

import { resetFakes, utilityProcess, type FakeUtilityProcess } from './fake-electron.js';
import type { AnalysisHost } from '../../src/app/analysis-host.js';
import { AppError } from '../../src/common/errors.js';
import type { AnalysisJob, AnalysisJobResult } from '../../src/workers/analysis-job.js';
import { parseWorkersArg, WORKERS_FLAG } from '../../electron/common/utility-protocol.js';
import { createUtilityHost } from '../../electron/main/utility-host.js';
import { serveAnalysis } from '../../electron/utility/serve.js';

const job = (name: string) => ({ filePath: `/data/${name}`, displayName: name }) as unknown as AnalysisJob;
const value = (name: string) => ({ result: { image: name }, elapsedMs: 1 }) as unknown as AnalysisJobResult;
type Posted = { kind: string; seq: number; job?: AnalysisJob };
const runs = (p: FakeUtilityProcess) => (p.posted as Posted[]).filter((m) => m.kind === 'run');
const reply = (p: FakeUtilityProcess, seq: number, name: string) => p.emit('message', { kind: 'result', seq, ok: true, value: value(name) });
const tick = () => new Promise((r) => setTimeout(r, 0));

let t = 0;
const newHost = () => createUtilityHost({ modulePath: '/app/dist-electron/analysis-host.js', size: 3, log: () => {}, now: () => t });

beforeEach(() => {
  resetFakes();
  t = 0;
});

describe('utility host (main side)', () => {
  it('forks the utility process on first use, with the worker count', async () => {
    const host = newHost();
    expect(host.size).toBe(3);
    expect(utilityProcess.fork).not.toHaveBeenCalled();
    const p = host.run(job('a.tif'));
    const child = utilityProcess.instances[0]!;
    expect(child.modulePath).toBe('/app/dist-electron/analysis-host.js');
    expect(parseWorkersArg(child.args)).toBe(3);
    expect(child.args).toEqual([`${WORKERS_FLAG}3`]);
    const [m] = runs(child);
    expect(m).toMatchObject({ kind: 'run', job: job('a.tif') });
    reply(child, m!.seq, 'a.tif');
    await expect(p).resolves.toEqual(value('a.tif'));
  });

  it('rejects with the AppError code the utility process reported', async () => {
    const host = newHost();
    const p = host.run(job('a.tif'));
    const child = utilityProcess.instances[0]!;
    child.emit('message', { kind: 'result', seq: runs(child)[0]!.seq, ok: false, error: { code: 'WORKER_OUT_OF_MEMORY', userMessage: 'ran out' } });
    await expect(p).rejects.toMatchObject({ name: 'AppError', code: 'WORKER_OUT_OF_MEMORY', userMessage: 'ran out' });
  });

  it('on a crash fails only the jobs in flight with WORKER_CRASHED and forks a new process', async () => {
    const host = newHost();
    const done = host.run(job('done.tif'));
    const a = host.run(job('a.tif'));
    const b = host.run(job('b.tif'));
    const first = utilityProcess.instances[0]!;
    reply(first, runs(first)[0]!.seq, 'done.tif');
    await expect(done).resolves.toEqual(value('done.tif'));

    first.emit('exit', 134);
    await expect(a).rejects.toMatchObject({ code: 'WORKER_CRASHED' });
    await expect(b).rejects.toMatchObject({ code: 'WORKER_CRASHED' });
    expect(utilityProcess.fork).toHaveBeenCalledTimes(2);
    expect(host.forks()).toBe(2);

    const second = utilityProcess.instances[1]!;
    const c = host.run(job('c.tif'));
    expect(runs(second)).toHaveLength(1);
    reply(first, runs(second)[0]!.seq, 'from the dead process'); // ignored
    reply(second, runs(second)[0]!.seq, 'c.tif');
    await expect(c).resolves.toEqual(value('c.tif'));
  });

  it('stops forking eagerly after repeated crashes, then forks for the next job', async () => {
    const host = newHost();
    void host.run(job('a.tif')).catch(() => {});
    for (let i = 0; i < 4; i++) utilityProcess.instances.at(-1)!.emit('exit', 1);
    expect(utilityProcess.fork).toHaveBeenCalledTimes(4);
    const p = host.run(job('b.tif'));
    expect(utilityProcess.fork).toHaveBeenCalledTimes(5);
    const last = utilityProcess.instances.at(-1)!;
    reply(last, runs(last)[0]!.seq, 'b.tif');
    await expect(p).resolves.toEqual(value('b.tif'));
  });

  it('cancels: rejects with CANCELLED at once and tells the utility process', async () => {
    const host = newHost();
    const ac = new AbortController();
    const p = host.run(job('a.tif'), ac.signal);
    ac.abort();
    await expect(p).rejects.toMatchObject({ code: 'CANCELLED' });
    const child = utilityProcess.instances[0]!;
    const seq = runs(child)[0]!.seq;
    expect(child.posted).toContainEqual({ kind: 'cancel', seq });
    await expect(host.run(job('b.tif'), ac.signal)).rejects.toMatchObject({ code: 'CANCELLED' });
  });

  it('destroy: jobs in flight are cancelled, the process killed and not replaced', async () => {
    const host = newHost();
    const p = host.run(job('a.tif'));
    const child = utilityProcess.instances[0]!;
    await host.destroy();
    await expect(p).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(child.killed).toBe(true);
    child.emit('exit', 0);
    expect(utilityProcess.fork).toHaveBeenCalledTimes(1);
    await expect(host.run(job('b.tif'))).rejects.toMatchObject({ code: 'CANCELLED' });
  });
});

describe('analysis service (utility side)', () => {
  function fakePort() {
    let onMessage: (e: { data: unknown }) => void = () => {};
    const sent: any[] = [];
    return {
      sent,
      on: (_ev: 'message', cb: typeof onMessage) => (onMessage = cb),
      postMessage: (m: unknown) => sent.push(m),
      deliver: (data: unknown) => onMessage({ data }),
    };
  }

  it('announces itself, runs jobs on the pool and answers by seq', async () => {
    const port = fakePort();
    const host: AnalysisHost = {
      size: 2,
      run: vi.fn(async (j: AnalysisJob) => {
        if (j.displayName === 'bad.tif') throw new AppError('IMAGE_UNREADABLE', '“bad.tif” could not be opened.');
        return value(j.displayName);
      }),
      destroy: async () => {},
    };
    serveAnalysis(port, host);
    expect(port.sent[0]).toEqual({ kind: 'ready' });
    port.deliver({ kind: 'run', seq: 5, job: job('ok.tif') });
    port.deliver({ kind: 'run', seq: 6, job: job('bad.tif') });
    port.deliver({ kind: 'nonsense' });
    await tick();
    expect(port.sent).toContainEqual({ kind: 'result', seq: 5, ok: true, value: value('ok.tif') });
    expect(port.sent).toContainEqual({ kind: 'result', seq: 6, ok: false, error: { code: 'IMAGE_UNREADABLE', userMessage: '“bad.tif” could not be opened.' } });
    expect(host.run).toHaveBeenCalledTimes(2);
  });

  it('aborts the pool job on cancel', async () => {
    const port = fakePort();
    let seen: AbortSignal | undefined;
    const host: AnalysisHost = {
      size: 1,
      run: (_j, signal) => {
        seen = signal;
        return new Promise((_res, rej) => signal!.addEventListener('abort', () => rej(new AppError('CANCELLED', 'cancelled'))));
      },
      destroy: async () => {},
    };
    serveAnalysis(port, host);
    port.deliver({ kind: 'run', seq: 1, job: job('a.tif') });
    port.deliver({ kind: 'cancel', seq: 1 });
    await tick();
    expect(seen?.aborted).toBe(true);
    expect(port.sent).toContainEqual({ kind: 'result', seq: 1, ok: false, error: { code: 'CANCELLED', userMessage: 'cancelled' } });
  });
});

describe('core on the utility host', () => {
  it('a crash in image work fails those images only; the core and later batches go on', async () => {
    const { createCore } = await import('../../src/app/core.js');
    const os = await import('node:os');
    const core = createCore({ createHost: newHost, cacheDir: `${os.tmpdir()}/cq-utility-test` });
    const images = ['a.tif', 'b.tif', 'c.tif'].map((n) => ({ path: `/data/${n}`, displayName: n }));
    const id = await core.startBatch({ images, recipe: { preset: 'alizarin' } });
    await vi.waitFor(() => expect(runs(utilityProcess.instances[0]!)).toHaveLength(3));
    const first = utilityProcess.instances[0]!;
    const seqOf = (name: string) => runs(first).find((m) => m.job?.displayName === name)!.seq;
    first.emit('message', { kind: 'result', seq: seqOf('a.tif'), ok: true, value: { result: { image: 'a.tif', status: 'ok' }, elapsedMs: 1 } });
    await tick();
    first.emit('exit', 139);
    const summary = await core.waitForBatch(id);
    expect(summary.results.map((r) => [r.image, r.status, r.errorCode])).toEqual([
      ['a.tif', 'ok', undefined],
      ['b.tif', 'error', 'WORKER_CRASHED'],
      ['c.tif', 'error', 'WORKER_CRASHED'],
    ]);
    const again = await core.startBatch({ images: images.slice(0, 1), recipe: { preset: 'alizarin' } });
    const second = utilityProcess.instances[1]!;
    await vi.waitFor(() => expect(runs(second)).toHaveLength(1));
    second.emit('message', { kind: 'result', seq: runs(second)[0]!.seq, ok: true, value: { result: { image: 'a.tif', status: 'ok' }, elapsedMs: 1 } });
    expect((await core.waitForBatch(again)).state).toBe('done');
    await core.dispose();
    expect(second.killed).toBe(true);
  });
});
