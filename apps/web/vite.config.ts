// The dashboard's bundle: React 19 compiled by Vite's own esbuild (no React plugin), into
// dist/, which the API serves at `/` (apps/api/src/web.ts).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  esbuild: { jsx: 'automatic' },
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, target: 'es2022' },
});
