import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { actionNodeExecutors } from '../../activities/automation/nodes/action-nodes.js';
import type { ActivityDeps } from '../../activities/deps.js';
import { withTenant } from '../../db/client.js';
import { contacts } from '../../db/schema/index.js';

/** The hand-coded workflow's activities: what a developer would write, around the same executors. */
export function createHandCodedActivities(deps: ActivityDeps) {
  return {
    async loadContact(input: { tenantId: string; contactId: string }): Promise<{ tier: string | null }> {
      const [row] = await withTenant(deps.db, input.tenantId, (tx) => tx.select({ attributes: contacts.attributes }).from(contacts).where(eq(contacts.id, input.contactId)));
      return { tier: (row?.attributes.tier as string | undefined) ?? null };
    },
    async runAction(input: { tenantId: string; contactId: string; type: string; effectId: string; config: Record<string, unknown> }): Promise<Record<string, unknown>> {
      return actionNodeExecutors[input.type]({
        deps, tenantId: input.tenantId, runId: randomUUID(), seq: 0, nodeId: input.type, effectId: input.effectId,
        conversationId: null, contactId: input.contactId, test: false, config: input.config,
      });
    },
  };
}

export type HandCodedActivities = ReturnType<typeof createHandCodedActivities>;
