import { CONVERSATION_VERSION, NEW_CONVERSATION, conversationWorkflowId, type ConversationInput } from './contracts.js';

/**
 * How every starter starts a conversation run: its id, the current workflow version, and the search
 * attributes its first workflow task would otherwise upsert. A message that created its
 * conversation (`opening`) meets the new row's defaults.
 */
export function conversationStartOptions(taskQueue: string, input: ConversationInput) {
  return {
    workflowId: conversationWorkflowId(input.tenantId, input.conversationId),
    taskQueue,
    args: [{ ...input, version: CONVERSATION_VERSION }] as [ConversationInput],
    searchAttributes: { TenantId: [input.tenantId], ...(input.opening && { ConversationStatus: [NEW_CONVERSATION.status], ConversationOwner: [NEW_CONVERSATION.owner] }) },
  };
}
