import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { ProviderError } from '../ai/providers/types.js';
import type { ActivityDeps } from '../deps.js';
import { tenantEmbedder } from './embedder.js';
import type { KnowledgeIndexInput, KnowledgeIndexProgress, KnowledgeIndexResult } from './index-contracts.js';
import { failIndexing, indexDocument } from './indexer.js';

export function createKnowledgeIndexActivities({ db, credentialsKey, allowPrivateNetworks }: Pick<ActivityDeps, 'db' | 'credentialsKey' | 'allowPrivateNetworks'>) {
  return {
    /**
     * Chunks, embeds and inserts one generation of a document in batches, heartbeating the last
     * committed batch. A retry after a crash reads that heartbeat and continues with the next batch
     * instead of starting over; a batch that committed after the last heartbeat is re-inserted as
     * a no-op (`on conflict do nothing`).
     */
    async indexKnowledgeDocument(input: KnowledgeIndexInput): Promise<KnowledgeIndexResult> {
      const ctx = Context.current();
      const details = ctx.info.heartbeatDetails as Partial<KnowledgeIndexProgress> | undefined;
      const resumeFrom = typeof details?.batch === 'number' && typeof details.model === 'string' ? { batch: details.batch, model: details.model } : undefined;
      try {
        const embedder = await tenantEmbedder(db, credentialsKey, input.tenantId, { allowPrivateNetworks });
        return await indexDocument(db, input.tenantId, input.documentId, input.generation, embedder, {
          resumeFrom,
          onBatch: (progress) => ctx.heartbeat(progress),
        });
      } catch (err) {
        // A rejected key or request stays rejected: fail now rather than after every retry.
        if (err instanceof ProviderError && !err.retryable) throw ApplicationFailure.nonRetryable(err.message, 'EmbeddingRejected');
        throw err;
      }
    },

    /** Records why a generation could not be built; the last good generation stays live. */
    async failKnowledgeIndexing(input: KnowledgeIndexInput & { error: string }): Promise<void> {
      await failIndexing(db, input.tenantId, input.documentId, input.generation, input.error);
    },
  };
}
