/**
 * Progress of a CLI batch on stderr: a redrawn bar on a terminal, one plain line per image otherwise
 * (logs, CI, pipes).
 */
import type { BatchProgress } from './common/api.js';

export interface ProgressReporter {
  update(p: BatchProgress): void;
  finish(): void;
}

export function formatDurationMs(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return '–';
  const s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = s % 60;
  return h ? `${h}:${String(m).padStart(2, '0')}:${String(sec).padStart(2, '0')}` : `${m}:${String(sec).padStart(2, '0')}`;
}

export function progressBar(done: number, total: number, widthChars: number): string {
  const filled = total ? Math.round((done / total) * widthChars) : widthChars;
  return '█'.repeat(filled) + '░'.repeat(widthChars - filled);
}

export function formatProgressLine(p: BatchProgress): string {
  const r = p.result;
  const what = r ? (r.status === 'ok' ? `${r.image}: ${r.mineralPct!.toFixed(2)} %` : `${r.image}: FAILED (${r.errorCode})`) : 'starting';
  return `[${p.done}/${p.total}] ${what}`;
}

export function createProgressReporter(stream: NodeJS.WriteStream, total: number, quiet: boolean): ProgressReporter {
  const tty = !!stream.isTTY;
  let drawn = false;
  return {
    update(p) {
      if (quiet) return;
      if (!tty) {
        if (p.result) stream.write(formatProgressLine(p) + '\n');
        return;
      }
      const cols = Math.max(40, stream.columns ?? 80);
      const head = `${progressBar(p.done, total, 24)} ${p.done}/${total}${p.failed ? ` (${p.failed} failed)` : ''} ETA ${formatDurationMs(p.etaMs)} `;
      const tail = p.result ? p.result.image : '';
      const line = (head + tail).slice(0, cols - 1);
      stream.write(`\r${line}\x1b[K`);
      drawn = true;
    },
    finish() {
      if (tty && drawn && !quiet) stream.write('\n');
    },
  };
}
