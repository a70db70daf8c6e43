/** Runs the CLI's main() in-process with captured output. */
import { main } from '../../../src/cli.js';

export interface CliRun {
  readonly code: number;
  readonly stderr: string;
  readonly stdout: string;
}

function capture(isTTY = false): { stream: NodeJS.WriteStream; text: () => string } {
  const chunks: string[] = [];
  const stream = { isTTY, columns: 100, write: (s: string) => (chunks.push(String(s)), true) } as unknown as NodeJS.WriteStream;
  return { stream, text: () => chunks.join('') };
}

export async function runCli(args: string[], o: { tty?: boolean } = {}): Promise<CliRun> {
  const err = capture(o.tty), out = capture();
  const code = await main(args, err.stream, out.stream);
  return { code, stderr: err.text(), stdout: out.text() };
}
