import { randomBytes, randomUUID } from 'node:crypto';
import type { Stack } from './embedded-stack.js';
import { freePort, startTsProcess, waitForPort } from './process-utils.js';

/**
 * The API and the worker as real processes on a running stack, with throwaway secrets: what the
 * benchmarks measure. The worker runs at a lower CPU priority, as under `npm start`.
 */
export async function startApiAndWorker(stack: Stack) {
  const apiPort = await freePort();
  const env = {
    ...process.env,
    DATABASE_URL: stack.databaseUrl,
    MONGODB_URL: stack.mongoUrl,
    TEMPORAL_ADDRESS: stack.temporalAddress,
    JWT_SECRET: randomUUID() + randomUUID(),
    CREDENTIALS_MASTER_KEY: randomBytes(32).toString('base64'),
    // Benchmarks point providers at a local server.
    ALLOW_PRIVATE_NETWORK_URLS: 'true',
    API_PORT: String(apiPort),
    AUTH_RATE_LIMIT_PER_MINUTE: '100000',
  };
  const api = startTsProcess('api', 'api/main.ts', { env });
  const worker = startTsProcess('worker', 'temporal/worker-main.ts', { env, background: true });
  await waitForPort(apiPort, 'api', api.child, 60_000).catch((err) => {
    throw new Error(`${(err as Error).message}\n${api.output()}`);
  });
  return { api, worker, env, baseUrl: `http://127.0.0.1:${apiPort}` };
}
