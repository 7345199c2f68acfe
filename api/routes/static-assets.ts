import { Hono } from 'hono';
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AppEnv } from '../context.js';

const WIDGET_DIST = fileURLToPath(new URL('../../widget/dist/widget.js', import.meta.url));
const WIDGET_DEMO = fileURLToPath(new URL('../../widget/demo.html', import.meta.url));
const SWAGGER_DIR = (createRequire(import.meta.url)('swagger-ui-dist') as { getAbsoluteFSPath(): string }).getAbsoluteFSPath();
const TYPES: Record<string, string> = { '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.png': 'image/png', '.map': 'application/json' };

/** The widget script, its demo page, and the API docs page, all served without any CDN. */
export const staticRoutes = new Hono<AppEnv>();

staticRoutes.get('/widget.js', async (c) => {
  if (!existsSync(WIDGET_DIST)) return c.text('// widget not built: run `npm run build:widget`', 503, { 'content-type': TYPES['.js'] });
  c.header('cache-control', 'public, max-age=300');
  return c.body(await readFile(WIDGET_DIST, 'utf8'), 200, { 'content-type': TYPES['.js'] });
});

staticRoutes.get('/favicon.ico', (c) => c.body(null, 204));

staticRoutes.get('/widget/demo', (c) => {
  const key = c.req.query('key') ?? c.get('deps').config.DEMO_WIDGET_KEY;
  // The page talks to the origin it was opened from (localhost or 127.0.0.1 alike), which its CSP allows.
  const apiUrl = new URL(c.req.url).origin;
  const html = readFileSync(WIDGET_DEMO, 'utf8').replaceAll('{{WIDGET_KEY}}', escapeAttr(key)).replaceAll('{{API_URL}}', escapeAttr(apiUrl));
  return c.html(html);
});

staticRoutes.get('/docs', (c) =>
  c.html(`<!doctype html><html><head><meta charset="utf-8"><title>Switchboard API</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head><body><div id="ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/assets/docs-init.js"></script></body></html>`),
);

staticRoutes.get('/docs/assets/docs-init.js', (c) =>
  c.body("window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#ui' });", 200, { 'content-type': TYPES['.js'] }),
);

staticRoutes.get('/docs/assets/:file', async (c) => {
  const file = normalize(c.req.param('file'));
  if (file.includes('/') || file.startsWith('.')) return c.notFound();
  const path = join(SWAGGER_DIR, file);
  if (!existsSync(path)) return c.notFound();
  return c.body(await readFile(path), 200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
});

const escapeAttr = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
