import { ScheduleNotFoundError, ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import { automationWorkflowId, type AutomationRunInput } from '../../temporal/contracts.js';
import { AppError } from '../errors.js';

export const automationScheduleId = (tenantId: string, automationId: string) => `automation:${tenantId}:${automationId}`;

/**
 * Makes the Temporal Schedule of an automation match its active version: created or replaced for a
 * schedule trigger, paused with the automation, removed otherwise. Returns the schedule's id, or null.
 */
export async function syncSchedule(
  client: Client,
  taskQueue: string,
  a: { tenantId: string; automationId: string; enabled: boolean; timezone: string; trigger: { id: string; type: string; config: Record<string, unknown> } | null },
): Promise<string | null> {
  const scheduleId = automationScheduleId(a.tenantId, a.automationId);
  if (!a.trigger || a.trigger.type !== 'trigger.schedule') {
    await removeSchedule(client, scheduleId);
    return null;
  }
  const { cron, everySeconds } = a.trigger.config as { cron?: string; everySeconds?: number };
  const spec = { ...(cron ? { cronExpressions: [cron] } : { intervals: [{ every: `${everySeconds ?? 60}s` as `${number}s` }] }), timezone: a.timezone };
  const action = {
    type: 'startWorkflow' as const,
    workflowType: 'automationRunWorkflow',
    args: [{ tenantId: a.tenantId, automationId: a.automationId } satisfies AutomationRunInput],
    taskQueue,
    // Temporal appends each firing's time, so every firing is its own run.
    workflowId: automationWorkflowId(a.tenantId, a.automationId, 'schedule'),
  };
  const policies = { overlap: ScheduleOverlapPolicy.SKIP };
  const note = 'Managed by Switchboard: publish, pause or delete the automation instead of editing this.';
  try {
    // Changed in place, so a refused spec leaves the running schedule as it was.
    try {
      await client.schedule.getHandle(scheduleId).update((prev) => ({ ...prev, spec, action, policies, state: { ...prev.state, paused: !a.enabled, note } }));
    } catch (err) {
      if (!(err instanceof ScheduleNotFoundError)) throw err;
      await client.schedule.create({ scheduleId, spec, action, policies, state: { paused: !a.enabled, note } });
    }
  } catch (err) {
    // The server parses the cron expression: a bad one is the admin's input, not a fault.
    if (cron && /cron|invalid|parse/i.test((err as Error).message)) {
      throw new AppError('validation_failed', `the schedule's cron expression is not valid: ${cron}`, [{ field: `nodes.${a.trigger.id}.config.cron`, message: 'not a valid cron expression' }]);
    }
    throw err;
  }
  return scheduleId;
}

export async function removeSchedule(client: Client, scheduleId: string): Promise<void> {
  try {
    await client.schedule.getHandle(scheduleId).delete();
  } catch (err) {
    if (!(err instanceof ScheduleNotFoundError)) throw err;
  }
}
