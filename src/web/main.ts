/**
 * `npm run web`: the renderer build and the core (worker threads) on http://127.0.0.1:PORT/.
 * Prints the address with its session token; Ctrl-C (SIGINT) or SIGTERM shuts down cleanly.
 * Exit codes: 0 stopped, 1 cannot start (usage, missing build, port taken).
 */
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { createCore } from '../app/core.js';
import { startWebHost } from './server.js';

export const WEB_USAGE = `Usage: npm run web -- [--port N] [--static DIR]
  --port N      port on 127.0.0.1 (default: a free port chosen by the system)
  --static DIR  the renderer build to serve (default: dist/renderer in the calciquant folder)
  --no-open     accepted; the browser is never opened automatically`;

/** Stops a second Ctrl-C from waiting forever on a stuck shutdown. */
const FORCED_EXIT_AFTER_MS = 5000;

export interface WebArgs {
  readonly port: number;
  readonly staticDir: string;
}

export class UsageError extends Error {}

/** The folder holding the package.json named "calciquant", walking up from `startDir`. */
export function findPackageRoot(startDir: string): string | null {
  for (let dir = startDir; ; dir = path.dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: unknown };
      if (pkg.name === 'calciquant') return dir;
    } catch {
      /* no (readable) package.json here: keep walking up */
    }
    if (path.dirname(dir) === dir) return null;
  }
}

export function parseWebArgs(argv: readonly string[], packageRoot: string | null): WebArgs {
  let values: { port?: string; static?: string; 'no-open'?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: { port: { type: 'string' }, static: { type: 'string' }, 'no-open': { type: 'boolean' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!/^\d{1,5}$/.test(values.port ?? '0') || port > 65535) {
    throw new UsageError(`--port must be a whole number from 0 to 65535, not “${values.port}”.`);
  }
  if (values.static !== undefined) return { port, staticDir: path.resolve(values.static) };
  if (!packageRoot) throw new UsageError('Cannot find the calciquant folder; give the renderer build with --static DIR.');
  return { port, staticDir: path.join(packageRoot, 'dist', 'renderer') };
}

function waitForStopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      process.once('SIGINT', () => process.exit(130));
      process.once('SIGTERM', () => process.exit(143));
      resolve(signal);
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  });
}

export async function main(argv: readonly string[]): Promise<number> {
  let args: WebArgs;
  try {
    args = parseWebArgs(argv, findPackageRoot(path.dirname(fileURLToPath(import.meta.url))));
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`${e.message}\n\n${WEB_USAGE}\n`);
    return 1;
  }
  if (!existsSync(path.join(args.staticDir, 'index.html'))) {
    process.stderr.write(
      `The renderer is not built: ${path.join(args.staticDir, 'index.html')} does not exist.\n` +
        'Run `npm run build:renderer` first (or give the build folder with --static DIR).\n',
    );
    return 1;
  }
  const core = createCore();
  let host;
  try {
    host = await startWebHost({ core, staticDir: args.staticDir, port: args.port });
  } catch (e) {
    await core.dispose();
    const code = (e as { code?: unknown }).code;
    const why = code === 'EADDRINUSE' ? `port ${args.port} is already in use; choose another with --port N` : String(e);
    process.stderr.write(`Calciquant could not start the web host: ${why}.\n`);
    return 1;
  }
  process.stdout.write(`Calciquant is running at ${host.url} (Ctrl-C to stop)\n`);
  const signal = await waitForStopSignal();
  process.stdout.write(`Stopping Calciquant (${signal})…\n`);
  setTimeout(() => process.exit(1), FORCED_EXIT_AFTER_MS).unref();
  await host.close();
  await core.dispose();
  return 0;
}

function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return pathToFileURL(realpathSync(script)).href === import.meta.url;
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`Calciquant web host failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
