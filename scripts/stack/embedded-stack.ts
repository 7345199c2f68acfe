import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { migrateDatabase } from '../../db/migrate.js';
import { startFerretDb } from './mongo-server.js';
import { startEmbeddedPostgres } from './postgres-server.js';
import { freePort } from './process-utils.js';
import { startTemporalDevServer, temporalDbFile } from './temporal-server.js';

export interface StackOptions {
  dataDir: string;
  /** Keep data across restarts (npm start) or throw it away (tests). */
  persistent: boolean;
  /** Fixed ports for npm start; tests take free ones. */
  ports?: { temporal: number; temporalUi?: number; postgres: number; mongo: number };
  env?: NodeJS.ProcessEnv;
  echo?: boolean;
  temporalDynamicConfig?: Record<string, string | number>;
}

/** Embedded servers on free ports can lose a port to another process between pick and bind: pick again. */
async function onFreePort<T>(fixed: number | undefined, start: (port: number) => Promise<T>): Promise<T> {
  if (fixed !== undefined) return start(fixed);
  for (let attempt = 1; ; attempt++) {
    try {
      return await start(await freePort());
    } catch (err) {
      if (attempt >= 3 || !/address already in use|did not listen|exited with code/i.test((err as Error).message)) throw err;
    }
  }
}

export interface Stack {
  databaseUrl: string;
  mongoUrl: string;
  temporalAddress: string;
  temporalUiUrl?: string;
  stop(): Promise<void>;
}

/**
 * Brings up Temporal, PostgreSQL and a MongoDB-protocol server, each from its `*_URL`/`*_ADDRESS`
 * setting when one is given and as an embedded server otherwise, then applies migrations.
 */
export async function startEmbeddedStack(opts: StackOptions): Promise<Stack> {
  const env = opts.env ?? process.env;
  const stops: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch((err) => console.warn('[stack] stop failed:', (err as Error).message));
  };
  try {
    mkdirSync(opts.dataDir, { recursive: true });

    const temporalP = env.TEMPORAL_ADDRESS
      ? Promise.resolve({ address: env.TEMPORAL_ADDRESS, uiUrl: undefined as string | undefined, stop: async () => {} })
      : (async () =>
          onFreePort(opts.ports?.temporal, (port) =>
            startTemporalDevServer({
              port,
              uiPort: opts.ports?.temporalUi,
              dbFile: opts.persistent ? temporalDbFile(opts.dataDir) : undefined,
              echo: opts.echo,
              dynamicConfig: opts.temporalDynamicConfig,
            }),
          ))();

    const postgresP = env.DATABASE_URL
      ? Promise.resolve({ url: env.DATABASE_URL, stop: async () => {} })
      : (async () => {
          const pg = await onFreePort(opts.ports?.postgres, (port) =>
            startEmbeddedPostgres({ port, dataDir: join(opts.dataDir, 'postgres'), persistent: opts.persistent }),
          );
          await pg.createDatabase('switchboard').catch((err: Error) => {
            if (!/already exists/.test(err.message)) throw err;
          });
          return { url: pg.adminUrl('switchboard'), stop: pg.stop };
        })();

    const mongoP = env.MONGODB_URL
      ? Promise.resolve({ url: env.MONGODB_URL, stop: async () => {} })
      : onFreePort(opts.ports?.mongo, (port) => startFerretDb({ port, dataDir: join(opts.dataDir, 'ferretdb'), echo: opts.echo }));

    const settled = await Promise.allSettled([temporalP, postgresP, mongoP]);
    for (const s of settled) if (s.status === 'fulfilled') stops.push(s.value.stop);
    const failed = settled.find((s) => s.status === 'rejected') as PromiseRejectedResult | undefined;
    if (failed) throw failed.reason;
    const [temporal, postgres, mongo] = settled.map((s) => (s as PromiseFulfilledResult<unknown>).value) as [
      Awaited<typeof temporalP>,
      Awaited<typeof postgresP>,
      Awaited<typeof mongoP>,
    ];

    await migrateDatabase(postgres.url);
    return { databaseUrl: postgres.url, mongoUrl: mongo.url, temporalAddress: temporal.address, temporalUiUrl: temporal.uiUrl, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
