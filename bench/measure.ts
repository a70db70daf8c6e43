/**
 * Timing, memory and machine-info helpers for `npm run bench`, plus plain-text table output.
 * Nothing here asserts anything: the bench prints figures, it is never a timed test.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { Worker } from 'node:worker_threads';

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/**
 * Full GC when node runs with --expose-gc (npm run bench does), so phases start from a clean heap.
 * Not right before timed JS work: a forced GC discards optimized code (see bench.ts).
 */
export function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/** Runs `fn` `warmup` times untimed, then `runs` times timed; returns every timed duration in ms. */
export async function timeRuns<T>(
  runs: number,
  warmup: number,
  fn: () => Promise<T> | T,
  check?: (value: T) => void,
): Promise<number[]> {
  for (let i = 0; i < warmup; i++) check?.(await fn());
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const v = await fn();
    ms.push(performance.now() - t0);
    check?.(v);
  }
  return ms;
}

// ---------------------------------------------------------------------------------------------
// Peak memory
// ---------------------------------------------------------------------------------------------

/**
 * Samples the process RSS (main thread + worker threads + native memory) every `intervalMs` from
 * a thread of its own, because the main thread is busy in synchronous pipeline code while the
 * interesting peaks happen. On Linux the kernel's high-water mark (VmHWM, reset through
 * /proc/self/clear_refs) is read as well: it also catches spikes between two samples.
 */
export interface RssProbe {
  /** Starts a phase: resets both peaks to the current RSS. */
  reset(): void;
  /** Peaks since the last reset, in MB (kernelMb null where VmHWM is unavailable). */
  peak(): { sampledMb: number; kernelMb: number | null };
  stop(): Promise<void>;
}

const SAMPLER_SOURCE = `
const { workerData } = require('node:worker_threads');
const peak = new Float64Array(workerData.sab);
setInterval(() => { const r = process.memoryUsage.rss(); if (r > peak[0]) peak[0] = r; }, workerData.intervalMs);
`;

function readHwmBytes(): number | null {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

function resetHwm(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

export async function startRssProbe(intervalMs = 20): Promise<RssProbe> {
  const sab = new SharedArrayBuffer(8);
  const peak = new Float64Array(sab);
  peak[0] = process.memoryUsage.rss();
  const worker = new Worker(SAMPLER_SOURCE, { eval: true, workerData: { sab, intervalMs } });
  await new Promise<void>((resolve, reject) => {
    worker.once('online', () => resolve());
    worker.once('error', reject);
  });
  worker.unref(); // only now: an unref'd worker that is still starting lets the process exit
  let hwmResettable = resetHwm();
  const MB = 1024 * 1024;
  return {
    reset() {
      peak[0] = process.memoryUsage.rss();
      hwmResettable = resetHwm();
    },
    peak() {
      const now = process.memoryUsage.rss();
      const hwm = hwmResettable ? readHwmBytes() : null;
      return { sampledMb: Math.max(peak[0]!, now) / MB, kernelMb: hwm === null ? null : hwm / MB };
    },
    async stop() {
      await worker.terminate();
    },
  };
}

// ---------------------------------------------------------------------------------------------
// CPU used by other processes (the machine is shared)
// ---------------------------------------------------------------------------------------------

/** Busy CPU seconds of the whole machine so far (Linux /proc/stat, USER_HZ = 100), or null. */
function machineBusyS(): number | null {
  try {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal …
    const busy = f[0]! + f[1]! + f[2]! + (f[5] ?? 0) + (f[6] ?? 0) + (f[7] ?? 0);
    return busy / 100;
  } catch {
    return null;
  }
}

export interface CpuWindow {
  /** Average cores kept busy by other processes since `start`, or null where unknown. */
  otherCores(): number | null;
  /** Average cores used by this process (all its threads) since `start`. */
  ownCores(): number;
}

export function cpuWindow(): CpuWindow {
  const t0 = performance.now(), own0 = process.cpuUsage(), busy0 = machineBusyS();
  const ownS = () => {
    const u = process.cpuUsage(own0);
    return (u.user + u.system) / 1e6;
  };
  const wallS = () => Math.max(1e-3, (performance.now() - t0) / 1000);
  return {
    otherCores() {
      const busy = machineBusyS();
      if (busy === null || busy0 === null) return null;
      return Math.max(0, (busy - busy0 - ownS()) / wallS());
    },
    ownCores: () => ownS() / wallS(),
  };
}

// ---------------------------------------------------------------------------------------------
// Machine and output
// ---------------------------------------------------------------------------------------------

export interface MachineInfo {
  readonly cpuModel: string;
  readonly cores: number;
  readonly availableParallelism: number;
  readonly totalMemGb: number;
  readonly node: string;
  readonly v8: string;
  readonly platform: string;
  readonly sharp: string;
  readonly libvips: string;
  /** 1, 5 and 15 min load averages when the bench started. */
  readonly loadAvg: readonly number[];
}

export function machineInfo(sharpVersions: { sharp?: string; vips?: string }): MachineInfo {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    availableParallelism: os.availableParallelism(),
    totalMemGb: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    v8: process.versions.v8,
    platform: `${process.platform}-${process.arch} ${os.release()}`,
    sharp: sharpVersions.sharp ?? '?',
    libvips: sharpVersions.vips ?? '?',
    loadAvg: os.loadavg().map((x) => Math.round(x * 100) / 100),
  };
}

/** Rounds for the JSON line: ms to 0.1, ratios to 0.01. */
export function round(x: number | null, digits = 1): number | null {
  if (x === null || !Number.isFinite(x)) return null;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

export function fmt(x: number | null | undefined, digits = 0): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '–';
  return x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** A plain-text table. `align`: one letter per column, 'l' or 'r' (default: first left, others right). */
export function table(header: readonly string[], rows: readonly (readonly string[])[], align = 'l'): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const left = (c: number) => (align[c] ?? 'r') === 'l';
  const line = (cells: readonly string[]) =>
    cells.map((v, c) => (left(c) ? v.padEnd(widths[c]!) : v.padStart(widths[c]!))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export function verdict(ok: boolean): string {
  return ok ? 'MET' : 'MISSED';
}
