import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectDb } from '../../db/client.js';
import { startEmbeddedStack, type Stack } from './embedded-stack.js';
import { freePort, startTsProcess, waitForPort } from './process-utils.js';
import { writeWorkflowBundle } from './workflow-bundle.js';

/** Where the platform's processes find the stack's servers. */
export function stackEnv(stack: Stack) {
  return { DATABASE_URL: stack.databaseUrl, MONGODB_URL: stack.mongoUrl, TEMPORAL_ADDRESS: stack.temporalAddress };
}

/**
 * The API and the worker as real processes on a running stack, with throwaway secrets: what the
 * benchmarks measure. The worker runs at a lower CPU priority, as under `npm start`.
 */
export async function startApiAndWorker(stack: Stack, opts: { workflowBundlePath?: string } = {}) {
  const apiPort = await freePort();
  const env = {
    ...process.env,
    ...stackEnv(stack),
    JWT_SECRET: randomUUID() + randomUUID(),
    CREDENTIALS_MASTER_KEY: randomBytes(32).toString('base64'),
    // Benchmarks point providers at a local server.
    ALLOW_PRIVATE_NETWORK_URLS: 'true',
    API_PORT: String(apiPort),
    // Providers sign webhooks over the URL they post to: the API must know its own.
    PUBLIC_URL: `http://127.0.0.1:${apiPort}`,
    AUTH_RATE_LIMIT_PER_MINUTE: '100000',
  };
  const api = startTsProcess('api', 'api/main.ts', { env });
  const worker = startTsProcess('worker', 'temporal/worker-main.ts', { env: { ...env, ...(opts.workflowBundlePath && { WORKFLOW_BUNDLE_PATH: opts.workflowBundlePath }) }, background: true });
  await waitForPort(apiPort, 'api', api.child, 60_000).catch(async (err) => {
    // Nothing else holds these processes yet: stop both, or their pipes keep the caller alive.
    await Promise.allSettled([api.stop('SIGTERM', 5_000), worker.stop('SIGTERM', 5_000)]);
    throw new Error(`${(err as Error).message}\n${api.output()}`);
  });
  const baseUrl = `http://127.0.0.1:${apiPort}`;
  /** One JSON request to the API; throws on a status of 300 or more, and a 204 gives undefined. */
  const call = async (method: string, path: string, body?: unknown, token?: string): Promise<any> => {
    const res = await fetch(baseUrl + path, { method, headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) }, body: body === undefined ? undefined : JSON.stringify(body) });
    const json = res.status === 204 ? undefined : await res.json();
    if (res.status >= 300) throw new Error(`${method} ${path} → ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  return { api, worker, env, baseUrl, call };
}

export type PlatformProcesses = Awaited<ReturnType<typeof startApiAndWorker>>;

/**
 * Runs `fn` on a throwaway platform: embedded servers in a temporary folder, a database connection,
 * and the API and the worker as real processes. Afterwards stops them in reverse order (API, worker,
 * connection, servers) and removes the folder.
 */
export async function withPlatform<T>(
  label: string,
  opts: { dbMax: number },
  fn: (p: PlatformProcesses & { stack: Stack; db: ReturnType<typeof connectDb> }) => Promise<T>,
): Promise<T> {
  const undo: Array<() => unknown> = [];
  try {
    const dir = mkdtempSync(join(tmpdir(), `switchboard-${label}-`));
    undo.push(() => rmSync(dir, { recursive: true, force: true }));
    // As under npm start: the worker loads a bundle made beforehand.
    const [stack, workflowBundlePath] = await Promise.all([startEmbeddedStack({ dataDir: dir, persistent: false, env: {} }), writeWorkflowBundle(join(dir, 'workflows.bundle.js'))]);
    undo.push(() => stack.stop());
    const db = connectDb(stack.databaseUrl, { max: opts.dbMax });
    undo.push(() => db.close());
    const platform = await startApiAndWorker(stack, { workflowBundlePath });
    undo.push(
      () => platform.worker.stop('SIGTERM', 15_000),
      () => platform.api.stop('SIGTERM', 15_000),
    );
    return await fn({ ...platform, stack, db });
  } finally {
    for (const step of undo.reverse()) await step();
  }
}
