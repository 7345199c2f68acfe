import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ensureFerretDb } from './tools.js';
import { freePort, startProcess, waitForPort } from './process-utils.js';

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
  const proc = startProcess('ferretdb', bin, args, { echo: opts.echo, detached: true });
  try {
    await waitForPort(opts.port, 'ferretdb', proc.child, 30_000);
  } catch (err) {
    await proc.stop('SIGKILL');
    throw new Error(`${(err as Error).message}\n${proc.output()}`);
  }
  return { url: `mongodb://127.0.0.1:${opts.port}/switchboard`, stop: () => proc.stop() };
}
