import { Context } from '@temporalio/activity';

/** Same for every attempt of one activity execution, different for any other: run id + activity id. */
export function idempotencyKey(): string {
  const info = Context.current().info;
  return `${info.workflowExecution?.runId ?? info.activityRunId ?? ''}:${info.activityId}`;
}
