/**
 * The Remix web app as users get it: a production build served by `remix-serve`. Browser tests and
 * `npm run bench:web` both start it this way.
 *
 * Why a build and not `remix vite:dev`: the build takes ~3 s here and is cached by a hash of its
 * sources, so a test run pays it at most once; the dev server compiles every route on first visit
 * (seconds per page on 2 shared cores, which makes timing-based assertions flaky), serves unbundled
 * modules and React's development build, so its timings say nothing about production.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, startProcess, waitForPort } from '../../scripts/stack/process-utils.js';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BUILD_CACHE = resolve(REPO_ROOT, '.data/web-build');
// Everything that changes the built output.
const SOURCES = ['web/app', 'web/public', 'web/vite.config.ts', 'package-lock.json'];

function filesUnder(path: string): string[] {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .sort()
    .flatMap((name) => filesUnder(join(path, name)));
}

function sourceHash(): string {
  const hash = createHash('sha256');
  for (const file of SOURCES.flatMap((s) => filesUnder(resolve(REPO_ROOT, s)))) {
    hash.update(relative(REPO_ROOT, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

/** Vite follows a build error with a dump of every watched file: keep the lines that say what broke. */
function buildErrorOf(output: string): string {
  const lines = output.split('\n');
  const at = lines.findIndex((l) => /build failed|error/i.test(l));
  return (at >= 0 ? lines.slice(at, at + 6) : lines.slice(-20)).join('\n');
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, args, { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (b: Buffer) => (output += b.toString()));
    child.stderr.on('data', (b: Buffer) => (output += b.toString()));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolvePromise() : reject(new Error(`${cmd} ${args.join(' ')} exited ${code}\n${buildErrorOf(output)}`))));
  });
}

/**
 * The production build of the current sources, built once per source hash under .data/web-build/.
 * The build bakes its own folder into the server bundle (where remix-serve finds client assets),
 * so it is built in place: parallel test files take turns through a lock folder, and a build counts
 * only once its `complete` marker is written.
 */
export async function ensureWebBuild(): Promise<{ dir: string; built: boolean; ms: number }> {
  const started = performance.now();
  const dir = join(BUILD_CACHE, sourceHash());
  const done = join(dir, 'complete');
  const lock = `${dir}.lock`;
  mkdirSync(BUILD_CACHE, { recursive: true });
  for (;;) {
    if (existsSync(done)) return { dir, built: false, ms: performance.now() - started };
    try {
      mkdirSync(lock);
      break;
    } catch {
      // Another process is building; a lock left by a crashed one goes stale after two minutes.
      const held = statSync(lock, { throwIfNoEntry: false });
      if (held && Date.now() - held.mtimeMs > 120_000) rmSync(lock, { recursive: true, force: true });
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    if (existsSync(done)) return { dir, built: false, ms: performance.now() - started };
    rmSync(dir, { recursive: true, force: true });
    await run(resolve(REPO_ROOT, 'node_modules/.bin/remix'), ['vite:build', '--config', 'web/vite.config.ts'], { ...process.env, NODE_ENV: 'production', REMIX_BUILD_DIR: dir });
    writeFileSync(done, new Date().toISOString());
    pruneOldBuilds();
    return { dir, built: true, ms: performance.now() - started };
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** Keeps the newest few builds: enough for runs still serving an older one, without growing forever. */
function pruneOldBuilds(keep = 5) {
  const builds = readdirSync(BUILD_CACHE)
    .filter((name) => /^[0-9a-f]{16}$/.test(name))
    .map((name) => ({ path: join(BUILD_CACHE, name), at: statSync(join(BUILD_CACHE, name)).mtimeMs }))
    .sort((a, b) => b.at - a.at);
  for (const old of builds.slice(keep)) rmSync(old.path, { recursive: true, force: true });
}

export interface WebAppOptions {
  /** Where the web server calls the API. */
  apiUrl: string;
  /** Where browsers reach the API (live events); defaults to apiUrl. */
  publicApiUrl?: string;
  temporalUiUrl?: string;
  port?: number;
  echo?: boolean;
}

/** Builds (or reuses) the web app and serves it with remix-serve on 127.0.0.1. */
export async function startWebApp(opts: WebAppOptions) {
  const build = await ensureWebBuild();
  const port = opts.port ?? (await freePort());
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(port),
    API_URL: opts.apiUrl,
    PUBLIC_API_URL: opts.publicApiUrl ?? opts.apiUrl,
    SESSION_SECRET: 'e2e-session-secret-e2e-session-secret',
    ...(opts.temporalUiUrl && { TEMPORAL_UI_URL: opts.temporalUiUrl }),
  };
  // remix-serve resolves the build's client assets against its working directory, which must be
  // the repo root (the Vite root) as it is for npm scripts and vitest.
  if (resolve(process.cwd()) !== resolve(REPO_ROOT)) throw new Error(`startWebApp must run from ${REPO_ROOT}, not ${process.cwd()}`);
  const proc = startProcess('web', resolve(REPO_ROOT, 'node_modules/.bin/remix-serve'), [join(build.dir, 'server/index.js')], { env, echo: opts.echo });
  await waitForPort(port, 'web', proc.child, 60_000).catch(async (err) => {
    await proc.stop('SIGKILL');
    throw new Error(`${(err as Error).message}\n${proc.output()}`);
  });
  return { url: `http://127.0.0.1:${port}`, port, build, output: proc.output, stop: () => proc.stop('SIGTERM', 5_000) };
}

export type WebApp = Awaited<ReturnType<typeof startWebApp>>;
