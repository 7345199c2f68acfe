import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const widgetDir = fileURLToPath(new URL('.', import.meta.url));
export const WIDGET_CONFIG = resolve(widgetDir, 'vite.config.ts');
export const WIDGET_BUNDLE = resolve(widgetDir, 'dist/widget.js');

/**
 * Builds widget/dist/widget.js with Vite (library mode, see vite.config.ts). The test setup and
 * `npm start` call this, so the API always serves a widget built from the current source. `outDir`
 * lets a test build elsewhere without racing the copy the API is serving.
 */
export async function buildWidget(opts: { outDir?: string } = {}): Promise<string> {
  const outDir = opts.outDir ?? resolve(widgetDir, 'dist');
  await build({ configFile: WIDGET_CONFIG, build: { outDir, emptyOutDir: true } });
  return resolve(outDir, 'widget.js');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = await buildWidget();
  console.log(`[widget] built ${out}`);
}
