import { describe, expect, it, inject } from 'vitest';
import { startTsProcess, freePort, waitForPort } from '../scripts/stack/process-utils.js';
import { TEST_CREDENTIALS_KEY } from '../scripts/testing/harness.js';

describe('the API process', () => {
  it('starts from its entry point, answers /health, and exits cleanly on SIGTERM', async () => {
    const port = await freePort();
    const api = startTsProcess('api', 'api/main.ts', {
      env: {
        ...process.env,
        DATABASE_URL: inject('databaseUrl'),
        MONGODB_URL: inject('mongoUrl'),
        TEMPORAL_ADDRESS: inject('temporalAddress'),
        JWT_SECRET: 'test-secret-test-secret-test-secret-0123',
        CREDENTIALS_MASTER_KEY: TEST_CREDENTIALS_KEY,
        API_PORT: String(port),
      },
    });
    try {
      await waitForPort(port, 'api', api.child, 60_000).catch((err) => {
        throw new Error(`${(err as Error).message}\n${api.output()}`);
      });
      const health = await fetch(`http://127.0.0.1:${port}/health`);
      expect(health.status).toBe(200);
      expect((await health.json()).status).toBe('ok');
      const exited = new Promise<number | null>((r) => api.child.once('exit', (code) => r(code)));
      api.child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      await api.stop('SIGKILL');
    }
  });
});
