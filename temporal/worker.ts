import { Client } from '@temporalio/client';
import { NativeConnection, Worker, bundleWorkflowCode, type WorkflowBundleOption } from '@temporalio/worker';
import { fileURLToPath } from 'node:url';
import { createActivities } from '../activities/index.js';
import type { ActivityDeps } from '../activities/deps.js';
import { TASK_QUEUE } from './task-queues.js';

export const WORKFLOWS_PATH = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

export async function bundleWorkflows(): Promise<{ code: string }> {
  return bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: quietBundlerLogger });
}

export interface WorkerOptions {
  connection: NativeConnection;
  namespace?: string;
  taskQueue?: string;
  deps: ActivityDeps;
  workflowBundle?: WorkflowBundleOption;
  shutdownGraceTime?: string;
}

export async function createWorker(opts: WorkerOptions): Promise<Worker> {
  const namespace = opts.namespace ?? 'default';
  const taskQueue = opts.taskQueue ?? TASK_QUEUE;
  // Activities that start or update workflows share the worker's connection.
  const deps: ActivityDeps = opts.deps.temporal ? opts.deps : { ...opts.deps, temporal: { client: new Client({ connection: opts.connection, namespace }), taskQueue } };
  return Worker.create({
    connection: opts.connection,
    namespace,
    taskQueue,
    activities: createActivities(deps),
    ...(opts.workflowBundle ? { workflowBundle: opts.workflowBundle } : { workflowsPath: WORKFLOWS_PATH }),
    // In-flight activities get this long to finish on Ctrl-C; anything cut off is retried by the next worker.
    shutdownGraceTime: (opts.shutdownGraceTime ?? '30s') as `${number}s`,
    // After a worker dies, its cached workflows' next tasks wait this long on its sticky queue before
    // any worker takes them: the default 10 s would dominate crash recovery.
    stickyQueueScheduleToStartTimeout: '3s',
  });
}

const quietBundlerLogger = {
  trace: () => {},
  debug: () => {},
  info: () => {},
  warn: (msg: string, meta?: unknown) => console.warn(msg, meta ?? ''),
  error: (msg: string, meta?: unknown) => console.error(msg, meta ?? ''),
  log: () => {},
};
