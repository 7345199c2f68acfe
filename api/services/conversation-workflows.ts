import { WithStartWorkflowOperation, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { conversationWorkflow, inbound } from '../../workflows/conversation.workflow.js';
import type { ConversationInput, ConversationView } from '../../temporal/contracts.js';
import { conversationStartOptions as startOptions } from '../../temporal/conversation-start.js';
import { AppError } from '../errors.js';

/** Hands an inbound message to its conversation's workflow, starting (or reopening) it if needed. */
export async function signalInbound(client: Client, taskQueue: string, input: ConversationInput, messageId: string): Promise<void> {
  await client.workflow.signalWithStart(conversationWorkflow, { ...startOptions(taskQueue, input), signal: inbound, signalArgs: [{ messageId }] });
}

/**
 * Runs an agent action as a workflow update. A conversation whose run has ended (closed) gets a
 * new run first, so agents can act on any conversation. A rejected update becomes a 409.
 */
export async function updateConversation<Args extends unknown[]>(
  client: Client,
  taskQueue: string,
  input: ConversationInput,
  update: UpdateDefinition<ConversationView, Args>,
  ...args: Args
): Promise<ConversationView> {
  try {
    return await client.workflow.executeUpdateWithStart(update, {
      args,
      startWorkflowOperation: new WithStartWorkflowOperation(conversationWorkflow, {
        ...startOptions(taskQueue, input),
        workflowIdConflictPolicy: 'USE_EXISTING',
      }),
    });
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError) {
      throw new AppError('conflict', err.cause?.message ?? err.message);
    }
    throw err;
  }
}
