import { join } from 'node:path';
import { ensureTemporalCli } from './tools.js';
import { startServer } from './process-utils.js';
import { SEARCH_ATTRIBUTE_TYPES } from '../../temporal/search-attributes.js';

export interface TemporalDevServerOptions {
  port: number;
  /** Omit to run headless. */
  uiPort?: number;
  /** Omit for an in-memory server (tests). */
  dbFile?: string;
  echo?: boolean;
  /** Extra `--dynamic-config-value` settings, e.g. a low continue-as-new threshold in tests. */
  dynamicConfig?: Record<string, string | number>;
}

export async function startTemporalDevServer(opts: TemporalDevServerOptions) {
  const bin = ensureTemporalCli();
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(opts.port), '--namespace', 'default', '--log-level', 'warn'];
  if (opts.uiPort) args.push('--ui-port', String(opts.uiPort));
  else args.push('--headless');
  if (opts.dbFile) {
    args.push('--db-filename', opts.dbFile, '--sqlite-pragma', 'journal_mode=WAL', '--sqlite-pragma', 'synchronous=OFF');
  }
  for (const [key, value] of Object.entries(opts.dynamicConfig ?? {})) args.push('--dynamic-config-value', `${key}=${value}`);
  for (const [name, type] of Object.entries(SEARCH_ATTRIBUTE_TYPES)) args.push('--search-attribute', `${name}=${type}`);
  const proc = await startServer('temporal server', bin, args, { port: opts.port, timeoutMs: 90_000, echo: opts.echo });
  return { address: `127.0.0.1:${opts.port}`, uiUrl: opts.uiPort ? `http://127.0.0.1:${opts.uiPort}` : undefined, stop: () => proc.stop() };
}

export const temporalDbFile = (dataDir: string) => join(dataDir, 'temporal.sqlite');
