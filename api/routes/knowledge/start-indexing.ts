import { SearchAttributeType, defineSearchAttributeKey } from '@temporalio/common';
import { LOCAL_EMBEDDING_MODEL, localEmbedder, tenantEmbeddingModel } from '../../../activities/knowledge/embedder.js';
import { knowledgeIndexWorkflowId, type KnowledgeIndexInput } from '../../../activities/knowledge/index-contracts.js';
import { failIndexing } from '../../../activities/knowledge/indexer.js';
import { INLINE_MAX_CHUNKS, indexNow, type KbDocument } from '../../../activities/knowledge/store.js';
import { knowledgeIndexWorkflow } from '../../../workflows/knowledge-index.workflow.js';
import type { ApiDeps } from '../../context.js';
import { AppError, notFound } from '../../errors.js';

const TenantId = defineSearchAttributeKey('TenantId', SearchAttributeType.KEYWORD);

/**
 * Indexes a document's requested generation. A small document of a tenant that embeds locally is
 * indexed within the request (answering `ready`). Everything else goes to the knowledge-index
 * workflow (answering `indexing`): large documents, and every document embedded by a provider, so
 * calls to tenant-configured URLs leave only from the worker, under its private-network guard and
 * with its retries.
 */
export async function startIndexing(deps: ApiDeps, tenantId: string, doc: KbDocument): Promise<{ doc: KbDocument; queued: boolean }> {
  const generation = doc.indexingGeneration;
  if (generation === null) return { doc, queued: false };
  if (doc.chunksTotal <= INLINE_MAX_CHUNKS && (await tenantEmbeddingModel(deps.db, tenantId)) === LOCAL_EMBEDDING_MODEL) {
    const indexed = await indexNow(deps.db, tenantId, doc, localEmbedder);
    if (!indexed) throw notFound('document');
    return { doc: indexed, queued: false };
  }
  const input: KnowledgeIndexInput = { tenantId, documentId: doc.id, generation };
  try {
    await deps.temporal.workflow.start(knowledgeIndexWorkflow, {
      workflowId: knowledgeIndexWorkflowId(input),
      taskQueue: deps.taskQueue,
      args: [input],
      typedSearchAttributes: [{ key: TenantId, value: tenantId }],
    });
  } catch (err) {
    await failIndexing(deps.db, tenantId, doc.id, generation, 'indexing could not be started; re-index the document');
    console.error('[knowledge] could not start indexing', doc.id, err);
    throw new AppError('unavailable', 'indexing could not be started; try again');
  }
  return { doc, queued: true };
}
