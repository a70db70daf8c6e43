/**
 * Renderer build (React UI): `vite build` → dist/renderer, loaded by Electron (file/app protocol)
 * and served by the web host. Relative base so it works from any path; no inline scripts, so the
 * production CSP `script-src 'self'` holds.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const here = path.dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  root: path.join(here, 'renderer'),
  base: './',
  plugins: [react()],
  build: {
    outDir: path.join(here, 'dist', 'renderer'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    // Keep every script external (CSP script-src 'self'); small assets inline as data: is fine for img-src.
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 1500,
  },
  server: { port: 5173, strictPort: false },
});
