import type { ActivityDeps } from '../../deps.js';

/** What one I/O node of an automation run is executed with. */
export interface NodeRun {
  deps: ActivityDeps;
  tenantId: string;
  runId: string;
  /** The step's position in the run; with `runId`, its idempotency key for outside calls. */
  seq: number;
  nodeId: string;
  /**
   * A uuid the workflow chose for this step: the id of the one record it creates (a message, a lead,
   * a ticket), so a retried attempt finds it instead of creating a second.
   */
  effectId: string;
  conversationId: string | null;
  contactId: string | null;
  /** A test run of the draft: sends go to the sandbox and records are not written (see each node). */
  test: boolean;
  /** The node's config with its `{{…}}` templates already rendered. */
  config: Record<string, unknown>;
}

/**
 * Runs one node and returns its output, which later nodes read as `{{nodes.<id>.output…}}`.
 * Throw `ApplicationFailure.nonRetryable` for what retrying cannot fix (a missing contact, a
 * refused request), any other error to retry.
 */
export type NodeExecutor = (run: NodeRun) => Promise<Record<string, unknown>>;
