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
  // Vite's build sets NODE_ENV=production in this process when it is unset; the platform
  // supervisor would pass that on to the web app's dev server, whose React then has no dev JSX.
  const nodeEnv = process.env.NODE_ENV;
  try {
    await build({ configFile: WIDGET_CONFIG, build: { outDir, emptyOutDir: true } });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
  return resolve(outDir, 'widget.js');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = await buildWidget();
  console.log(`[widget] built ${out}`);
}
