import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPreviewScheduler } from '../../renderer/state/preview-scheduler.js';

interface Deferred {
  req: string;
  resolve(v: string): void;
  reject(e: unknown): void;
}

function setup() {
  const calls: Deferred[] = [];
  const results: string[] = [];
  const errors: string[] = [];
  const pending: boolean[] = [];
  const sched = createPreviewScheduler<string, string>({
    run: (req) => new Promise((resolve, reject) => calls.push({ req, resolve, reject })),
    onResult: (res) => results.push(res),
    onError: (e) => errors.push(String(e)),
    onPendingChange: (p) => pending.push(p),
  });
  return { sched, calls, results, errors, pending };
}
const flush = () => new Promise((r) => setTimeout(r, 0));

describe('preview scheduler', () => {
  beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] }));
  afterEach(() => vi.useRealTimers());

  it('debounces: slider moves within 100 ms become one request with the last value', () => {
    const { sched, calls } = setup();
    sched.request('a', 100);
    vi.advanceTimersByTime(60);
    sched.request('b', 100);
    vi.advanceTimersByTime(60);
    sched.request('c', 100);
    expect(calls).toHaveLength(0);
    vi.advanceTimersByTime(100);
    expect(calls.map((c) => c.req)).toEqual(['c']);
  });

  it('runs one request at a time; only the newest waiting one runs next', async () => {
    const { sched, calls, results } = setup();
    sched.request('fast1');
    sched.request('fast2');
    sched.request('fast3');
    expect(calls.map((c) => c.req)).toEqual(['fast1']);
    calls[0]!.resolve('r1');
    vi.useRealTimers();
    await flush();
    expect(calls.map((c) => c.req)).toEqual(['fast1', 'fast3']);
    calls[1]!.resolve('r3');
    await flush();
    expect(results).toEqual(['r1', 'r3']);
  });

  it('invalidate() drops responses of requests already issued (the image changed)', async () => {
    const { sched, calls, results } = setup();
    sched.request('image A');
    sched.invalidate();
    sched.request('image B');
    calls[0]!.resolve('A');
    vi.useRealTimers();
    await flush();
    expect(calls.map((c) => c.req)).toEqual(['image A', 'image B']);
    calls[1]!.resolve('B');
    await flush();
    expect(results).toEqual(['B']);
  });

  it('reports errors of the latest request and the pending state', async () => {
    const { sched, calls, errors, pending } = setup();
    sched.request('x', 50);
    expect(pending).toEqual([true]);
    vi.advanceTimersByTime(50);
    calls[0]!.reject(new Error('CALIBRATION_MISSING'));
    vi.useRealTimers();
    await flush();
    expect(errors).toEqual(['Error: CALIBRATION_MISSING']);
    expect(pending).toEqual([true, false]);
  });

  it('does nothing after dispose', async () => {
    const { sched, calls, results } = setup();
    sched.request('x');
    sched.dispose();
    calls[0]!.resolve('late');
    sched.request('y');
    vi.useRealTimers();
    await flush();
    expect(results).toEqual([]);
    expect(calls).toHaveLength(1);
  });
});
