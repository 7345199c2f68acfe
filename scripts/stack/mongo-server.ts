import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ensureFerretDb } from './tools.js';
import { freePort, startServer } from './process-utils.js';

/** FerretDB v1 on SQLite: a MongoDB wire-protocol server with no download needed at run time. */
export async function startFerretDb(opts: { port: number; dataDir: string; echo?: boolean }) {
  const bin = ensureFerretDb();
  const sqliteDir = join(opts.dataDir, 'sqlite');
  mkdirSync(sqliteDir, { recursive: true });
  const args = [
    '--handler=sqlite',
    `--sqlite-url=file:${sqliteDir}/`,
    `--state-dir=${opts.dataDir}`,
    `--listen-addr=127.0.0.1:${opts.port}`,
    `--debug-addr=127.0.0.1:${await freePort()}`,
    '--telemetry=disable',
    '--log-level=warn',
  ];
  const proc = await startServer('ferretdb', bin, args, { port: opts.port, timeoutMs: 30_000, echo: opts.echo });
  return { url: `mongodb://127.0.0.1:${opts.port}/switchboard`, stop: () => proc.stop() };
}
