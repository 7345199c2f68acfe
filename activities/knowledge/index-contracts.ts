/**
 * Shapes of the knowledge-index workflow, shared by the API (which starts it), the workflow and its
 * activities. No dependencies, so the workflow sandbox can import it.
 */
export interface KnowledgeIndexInput {
  tenantId: string;
  documentId: string;
  /** The generation of chunks this run builds; a newer (re)index supersedes it. */
  generation: number;
}

export interface KnowledgeIndexResult {
  /** `superseded`: a newer generation was requested meanwhile; `deleted`: the document is gone. */
  status: 'ready' | 'failed' | 'superseded' | 'deleted';
  chunks: number;
}

/** What the indexing activity heartbeats after each committed batch; a retry resumes after it. */
export interface KnowledgeIndexProgress {
  /** The last batch whose chunks are committed. */
  batch: number;
  /** The model that embedded them: a retry with another model starts over. */
  model: string;
}

/** One run per document generation: a re-index gets its own id and never waits on the old run. */
export const knowledgeIndexWorkflowId = (i: KnowledgeIndexInput) => `knowledge-index:${i.tenantId}:${i.documentId}:${i.generation}`;
