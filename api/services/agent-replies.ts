import { and, eq } from 'drizzle-orm';
import { withTenant } from '../../db/client.js';
import { conversations, messages, users } from '../../db/schema/index.js';
import { agentReply } from '../../workflows/conversation.workflow.js';
import type { ApiDeps } from '../context.js';
import { AppError, notFound } from '../errors.js';
import { toAgentMessageView, type AgentMessage } from '../routes/conversations/agent-message-views.js';
import { updateConversation } from './conversation-workflows.js';

/**
 * An agent's reply on a conversation: stored first (the workflow only ever sees its id), then sent
 * by the conversation's workflow, which also silences the AI there. A refused update removes the
 * unsent row; any other failure may still deliver, so the row stays.
 */
export async function sendAgentReply(
  deps: Pick<ApiDeps, 'db' | 'temporal' | 'taskQueue'>,
  who: { tenantId: string; userId: string },
  conversationId: string,
  content: string,
  opts: { survey?: true } = {},
): Promise<AgentMessage> {
  const { db, temporal, taskQueue } = deps;
  const msg = await withTenant(db, who.tenantId, async (tx) => {
    const [conv] = await tx.select({ channel: conversations.channel }).from(conversations).where(eq(conversations.id, conversationId));
    if (!conv) throw notFound('conversation');
    const [row] = await tx
      .insert(messages)
      .values({ tenantId: who.tenantId, conversationId, direction: 'outbound', authorRole: 'agent', authorUserId: who.userId, channel: conv.channel, content, deliveryStatus: 'queued' })
      .returning();
    return row;
  });
  try {
    await updateConversation(temporal, taskQueue, { tenantId: who.tenantId, conversationId }, agentReply, { userId: who.userId, messageId: msg.id, ...opts });
  } catch (err) {
    if (err instanceof AppError) await withTenant(db, who.tenantId, (tx) => tx.delete(messages).where(and(eq(messages.id, msg.id), eq(messages.deliveryStatus, 'queued'))));
    throw err;
  }
  const [sent] = await withTenant(db, who.tenantId, (tx) =>
    tx.select({ message: messages, authorName: users.name }).from(messages).leftJoin(users, eq(users.id, messages.authorUserId)).where(eq(messages.id, msg.id)),
  );
  return toAgentMessageView(sent?.message ?? msg, sent?.authorName ?? null);
}
