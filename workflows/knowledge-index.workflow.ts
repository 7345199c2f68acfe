import { ActivityFailure, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import type { KnowledgeIndexInput, KnowledgeIndexResult } from '../activities/knowledge/index-contracts.js';

// Embedding a few thousand chunks takes minutes at worst; the heartbeat timeout lets a crashed
// worker's attempt be retried within seconds, resuming from its last heartbeat.
const { indexKnowledgeDocument } = proxyActivities<Activities>({
  startToCloseTimeout: '30m',
  heartbeatTimeout: '30s',
  retry: { initialInterval: '1s', maximumInterval: '30s', maximumAttempts: 8 },
});
const { failKnowledgeIndexing } = proxyActivities<Activities>({
  startToCloseTimeout: '10s',
  retry: { initialInterval: '200ms', maximumInterval: '10s' },
});

/**
 * Indexes one generation of a knowledge-base document (large uploads and re-indexes). Progress
 * lives on the document row, not here: the API reads it from Postgres. When indexing fails for
 * good, the document is marked failed with the reason and its last good generation stays live.
 */
export async function knowledgeIndexWorkflow(input: KnowledgeIndexInput): Promise<KnowledgeIndexResult> {
  try {
    return await indexKnowledgeDocument(input);
  } catch (err) {
    if (!(err instanceof ActivityFailure)) throw err;
    const cause = err.cause?.message ?? err.message;
    await failKnowledgeIndexing({ ...input, error: cause });
    return { status: 'failed', chunks: 0 };
  }
}
