import { build } from 'esbuild';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const widgetDir = fileURLToPath(new URL('.', import.meta.url));
export const WIDGET_ENTRY = resolve(widgetDir, 'src/widget.ts');
export const WIDGET_BUNDLE = resolve(widgetDir, 'dist/widget.js');

/**
 * Bundles the widget into one self-contained IIFE: it is loaded by a plain <script> tag on customer
 * sites, so it can assume neither modules nor a modern browser (hence es2019).
 */
export async function buildWidget(): Promise<string> {
  await build({
    entryPoints: [WIDGET_ENTRY],
    outfile: WIDGET_BUNDLE,
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2019',
    minify: true,
    sourcemap: false,
    legalComments: 'none',
    logLevel: 'warning',
  });
  return WIDGET_BUNDLE;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = await buildWidget();
  console.log(`[widget] built ${out}`);
}
