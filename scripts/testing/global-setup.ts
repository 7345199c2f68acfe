import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { bundleWorkflows } from '../../temporal/worker.js';
import { buildWidget } from '../../widget/build.js';
import { startEmbeddedStack, type Stack } from '../stack/embedded-stack.js';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
    mongoUrl: string;
    temporalAddress: string;
    workflowBundlePath: string;
  }
}

const CONTINUE_AS_NEW_EVENTS = 60;

let stack: Stack | undefined;
let dir: string | undefined;

/** One real Temporal, PostgreSQL and FerretDB for the whole run; test files isolate by tenant and task queue. */
export async function setup(project: TestProject) {
  dir = mkdtempSync(join(tmpdir(), 'switchboard-test-'));
  // Tests always get their own servers, never the developer's running platform.
  const env = { ...process.env, DATABASE_URL: process.env.TEST_DATABASE_URL, MONGODB_URL: process.env.TEST_MONGODB_URL, TEMPORAL_ADDRESS: process.env.TEST_TEMPORAL_ADDRESS };
  const [started, bundle] = await Promise.all([
    startEmbeddedStack({
      dataDir: dir,
      persistent: false,
      env,
      // Suggest continue-as-new after a few dozen events, so every conversation test also crosses runs.
      temporalDynamicConfig: { 'limit.historyCount.suggestContinueAsNew': CONTINUE_AS_NEW_EVENTS },
    }),
    bundleWorkflows(),
    // The API serves the built widget; build it here so any test run has it.
    buildWidget(),
  ]);
  stack = started;
  const workflowBundlePath = join(dir, 'workflow-bundle.js');
  writeFileSync(workflowBundlePath, bundle.code);
  project.provide('databaseUrl', stack.databaseUrl);
  project.provide('mongoUrl', stack.mongoUrl);
  project.provide('temporalAddress', stack.temporalAddress);
  project.provide('workflowBundlePath', workflowBundlePath);
}

export async function teardown() {
  await stack?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
}
