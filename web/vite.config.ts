import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { vitePlugin as remix } from '@remix-run/dev';
import { defineConfig } from 'vite';
import { routes } from './app/routes';

// Remix needs the package root (it reads package.json there) as the Vite root, so the
// app's own paths are absolute and the dev watcher is limited to web/.
const webDir = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.dirname(webDir);
const outsideWeb = (file: string) => file.startsWith(repoRoot + path.sep) && !file.startsWith(webDir + path.sep);

declare module '@remix-run/node' {
  interface Future {
    v3_singleFetch: true;
  }
}

export default defineConfig({
  root: repoRoot,
  publicDir: path.join(webDir, 'public'),
  server: { watch: { ignored: [outsideWeb, path.join(webDir, 'build') + '/**'] } },
  resolve: { alias: { '~': path.join(webDir, 'app') } },
  plugins: [
    remix({
      appDirectory: path.join(webDir, 'app'),
      // Test runs and benches build into a cache folder of their own (web/e2e/web-app-server.ts).
      buildDirectory: process.env.REMIX_BUILD_DIR ?? path.join(webDir, 'build'),
      ignoredRouteFiles: ['**/*'],
      routes,
      future: {
        v3_fetcherPersist: true,
        v3_relativeSplatPath: true,
        v3_throwAbortReason: true,
        v3_lazyRouteDiscovery: true,
        v3_singleFetch: true,
      },
    }),
  ],
});
