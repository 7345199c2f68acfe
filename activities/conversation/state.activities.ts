import { eq, sql } from 'drizzle-orm';
import { withTenant } from '../../db/client.js';
import { auditLog, conversations, teams, users } from '../../db/schema/index.js';
import type { ConversationState, StateChange } from '../../temporal/contracts.js';
import type { ActivityDeps } from '../deps.js';
import { idempotencyKey } from '../activity-key.js';
import { afterClaim, claimWithin, conversationState, type ClaimInput, type ClaimResult } from './inbound-claim.js';

export function createStateActivities({ db, temporal }: Pick<ActivityDeps, 'db' | 'temporal'>) {
  return {
    async loadConversationState(input: { tenantId: string; conversationId: string }): Promise<ConversationState> {
      return withTenant(db, input.tenantId, (tx) => conversationState(tx, input.conversationId), { reusePlans: true });
    },

    /** Claims an inbound message for this run (see claimWithin). */
    async claimInbound(input: ClaimInput): Promise<ClaimResult> {
      const record = await withTenant(db, input.tenantId, (tx) => claimWithin(tx, input), { reusePlans: true });
      return afterClaim({ db, temporal }, input, record);
    },

    /** Writes a state change made by the workflow to the read model, with its audit record, once. */
    async recordConversationChange(change: StateChange): Promise<void> {
      const key = idempotencyKey();
      const { patch } = change;
      await withTenant(db, change.tenantId, async (tx) => {
        await tx
          .update(conversations)
          .set({
            ...(patch.status !== undefined && { status: patch.status }),
            ...(patch.owner !== undefined && { owner: patch.owner }),
            // Through a lookup: a user or team deleted since the workflow chose it becomes null
            // instead of a foreign-key error this activity would retry forever.
            ...(patch.assigneeId !== undefined && { assigneeId: patch.assigneeId === null ? null : sql`(select ${users.id} from ${users} where ${users.id} = ${patch.assigneeId})` }),
            ...(patch.teamId !== undefined && { teamId: patch.teamId === null ? null : sql`(select ${teams.id} from ${teams} where ${teams.id} = ${patch.teamId})` }),
            ...(patch.snoozedUntil !== undefined && {
              snoozedUntil: patch.snoozedUntil === null ? null : new Date(patch.snoozedUntil),
            }),
            updatedAt: sql`now()`,
          })
          .where(eq(conversations.id, change.conversationId));
        await tx
          .insert(auditLog)
          .values({
            tenantId: change.tenantId,
            actorUserId: change.actorUserId,
            action: change.action,
            targetType: 'conversation',
            targetId: change.conversationId,
            data: patch as Record<string, unknown>,
            idempotencyKey: key,
          })
          .onConflictDoNothing({ target: auditLog.idempotencyKey });
      });
    },
  };
}
