/** Compiles src/pipeline/wasm/kernels.as.ts with AssemblyScript; returns the WebAssembly bytes. */
export function compileKernels(root: string): Promise<Uint8Array>;
