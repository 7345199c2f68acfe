import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const widgetDir = fileURLToPath(new URL('.', import.meta.url));

/**
 * The embeddable widget as a Vite library: one self-contained IIFE, loaded by a plain <script> tag on
 * customer sites, so it can assume neither modules nor a modern browser (hence es2019). Output
 * directory and watch mode come from buildWidget() in build.ts.
 */
export default defineConfig({
  root: widgetDir,
  // The widget ships no static files, and must not pick up the web app's.
  publicDir: false,
  logLevel: 'warn',
  // Lowering class fields to es2019 makes esbuild emit helpers that Vite places outside the IIFE,
  // i.e. as globals on the customer's page; plain constructor assignments need no helpers.
  esbuild: { tsconfigRaw: { compilerOptions: { useDefineForClassFields: false } } },
  build: {
    lib: {
      entry: 'src/widget.ts',
      formats: ['iife'],
      // Required for IIFE output; the entry exports nothing, so no global is actually created.
      name: 'SwitchboardWidgetBundle',
      fileName: () => 'widget.js',
    },
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2019',
    minify: 'esbuild',
    sourcemap: false,
    reportCompressedSize: false,
  },
});
