import { inject } from 'vitest';
import { startTsProcess } from '../stack/process-utils.js';
import { TEST_CREDENTIALS_KEY } from './harness.js';

/** The real worker entry point on the test services, as a separate process a test can kill without warning. */
export function startWorkerProcess(taskQueue: string, env: Record<string, string> = {}) {
  return startTsProcess('worker', 'temporal/worker-main.ts', {
    env: {
      ...process.env,
      DATABASE_URL: inject('databaseUrl'),
      MONGODB_URL: inject('mongoUrl'),
      CREDENTIALS_MASTER_KEY: TEST_CREDENTIALS_KEY,
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      TASK_QUEUE: taskQueue,
      WORKFLOW_BUNDLE_PATH: inject('workflowBundlePath'),
      ...env,
    },
  });
}
