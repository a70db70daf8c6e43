/**
 * V8 flags for the processes that run the analysis pool (the CLI, the web host, the bench).
 *
 * `--single-threaded-gc`: V8 then collects garbage on the thread that made it, without helper
 * threads. Each image allocates tens of MB of typed arrays, so every worker runs about one full
 * GC per 12 MP image; with V8's default parallel and concurrent GC that work runs on four helper
 * threads at 2–3× the CPU it needs on one thread, and in a pool with one worker per core those
 * helpers only take cores from the other worker. Measured on 12 MP images (same machine, same
 * run, alternating): CPU per image 276–284 → 227–228 ms, one worker 4.1 → 4.6 images/s, two
 * workers 7.4 → 8.5 images/s; at 1 MP one worker 17 → 17.6 and two 24–28 → 31 images/s.
 *
 * `--initial-old-space-size=128`: V8 starts a full GC once the old generation plus the external
 * memory allocated since the last one outgrow a limit that, with the analysis' small heap (~8 MB),
 * is ~15 MB above it: every decoded 12 MP image (36 MB) crossed it. A 128 MB starting limit halves
 * those GCs: CPU per 12 MP image 239–241 → 220–225 ms, peak RSS +50 MB (two workers); no change
 * at 1 MP.
 *
 * V8 reads these flags only at process start (setting them later is undefined behaviour and
 * crashed V8 in a test), so the CLI starts itself again with them (bin/calciquant.js), and the
 * npm scripts of the web host and the bench pass them to node.
 */
import { spawn } from 'node:child_process';
import os from 'node:os';

export const POOL_V8_FLAGS: readonly string[] = ['--single-threaded-gc', '--initial-old-space-size=128'];

/** Set in the relaunched process, so a node that ignores the flags is never relaunched twice. */
export const RELAUNCHED_ENV = 'CALCIQUANT_RELAUNCHED';

/** Which garbage collector this process runs (reported by the CLI's --version and the bench). */
export function gcMode(execArgv: readonly string[] = process.execArgv): 'single-threaded' | 'parallel' {
  return hasFlag(execArgv, '--single-threaded-gc') ? 'single-threaded' : 'parallel';
}

/** Whether node got `flag` (by name: a value the user gave wins); V8 accepts `_` for `-`. */
function hasFlag(execArgv: readonly string[], flag: string): boolean {
  const name = (s: string) => s.split('=')[0]!.replace(/_/g, '-');
  return execArgv.some((a) => name(a) === name(flag));
}

/** The pool's flags that node was not started with (a flag given with another value counts as given). */
export function missingPoolFlags(execArgv: readonly string[]): string[] {
  return POOL_V8_FLAGS.filter((f) => !hasFlag(execArgv, f));
}

/**
 * The node arguments to start `scriptPath` again with the pool's flags (this process' own node
 * options kept, the script's arguments after it), or null when this process should just go on:
 * it already has the flags, is itself a relaunch, or runs under the inspector.
 */
export function relaunchArgs(
  o: { execArgv: readonly string[]; scriptPath: string; args: readonly string[]; env: NodeJS.ProcessEnv },
): string[] | null {
  if (o.env[RELAUNCHED_ENV]) return null;
  // under a debugger, stay in the process it is attached to (a child would also fight for its port)
  if (o.execArgv.some((a) => /^--inspect(-brk|-wait)?(=|$)|^--debug/.test(a))) return null;
  const missing = missingPoolFlags(o.execArgv);
  if (missing.length === 0) return null;
  return [...o.execArgv, ...missing, o.scriptPath, ...o.args];
}

/**
 * Runs node with `args` in a child process that shares this one's terminal, and resolves its exit
 * code; null when the child could not be started (the caller then goes on in this process).
 * Ctrl-C reaches the child from the terminal by itself (it finishes the rows done so far), so this
 * process ignores SIGINT meanwhile; SIGTERM and SIGHUP sent to this process are passed on.
 */
export function runRelaunched(args: readonly string[]): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { stdio: 'inherit', env: { ...process.env, [RELAUNCHED_ENV]: '1' } });
    const ignore = () => {};
    const forward = (signal: NodeJS.Signals) => () => void child.kill(signal);
    const handlers = { SIGINT: ignore, SIGTERM: forward('SIGTERM'), SIGHUP: forward('SIGHUP') };
    const detach = () => {
      for (const [signal, h] of Object.entries(handlers)) process.off(signal, h);
    };
    for (const [signal, h] of Object.entries(handlers)) process.on(signal, h);
    child.once('error', () => {
      detach();
      resolve(null);
    });
    child.once('exit', (code, signal) => {
      detach();
      // killed by a signal: the code a shell reports (128 + the signal's number)
      resolve(code ?? 128 + (signal ? os.constants.signals[signal] : 1));
    });
  });
}
