/** Compiles src/pipeline/wasm/kernels.as.ts with AssemblyScript; returns the WebAssembly bytes. */
import asc from 'assemblyscript/asc';
import path from 'node:path';

export async function compileKernels(root) {
  let wasm = null;
  const stderr = [];
  const { error } = await asc.main(
    [
      path.join(root, 'src/pipeline/wasm/kernels.as.ts'),
      '-O3', '--noAssert', '--runtime', 'stub', '--importMemory', '--enable', 'simd', '--outFile', 'kernels.wasm',
    ],
    {
      writeFile: (name, contents) => {
        if (name.endsWith('.wasm')) wasm = contents;
      },
      stderr: { write: (s) => void stderr.push(String(s)) },
      stdout: { write: () => undefined },
    },
  );
  if (error || !wasm) throw new Error(`AssemblyScript failed: ${error?.message ?? 'no output'}\n${stderr.join('')}`);
  return new Uint8Array(wasm);
}
