/**
 * A contact CSV import, chunk by chunk. Each chunk commits its rows with the file offset, so a
 * worker crash or a restart resumes at the next chunk instead of starting over.
 */
import { continueAsNew, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';

const { importContactsChunk } = proxyActivities<Activities>({
  startToCloseTimeout: '2m',
  retry: { initialInterval: '1s', maximumInterval: '30s', maximumAttempts: 10 },
});

export async function contactImportWorkflow(input: { tenantId: string; importId: string }): Promise<{ rowsDone: number }> {
  for (;;) {
    const chunk = await importContactsChunk(input);
    if (chunk.done) return { rowsDone: chunk.rowsDone };
    if (workflowInfo().continueAsNewSuggested) await continueAsNew<typeof contactImportWorkflow>(input);
  }
}
