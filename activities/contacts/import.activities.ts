import { ApplicationFailure } from '@temporalio/activity';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { eq, sql } from 'drizzle-orm';
import { withTenant } from '../../db/client.js';
import { contactImports } from '../../db/schema/index.js';
import type { ActivityDeps } from '../deps.js';
import { parseRows } from './csv.js';
import { applyChunk, planChunk } from './import-rows.js';

/** How much of the file one chunk reads, and at most how many rows it takes. */
const WINDOW_CHARS = 1_000_000;
const CHUNK_ROWS = 5_000;

/**
 * A chunk leaves a few MB of garbage (its window, rows and statements) that outlives V8's young
 * generation, and V8 lets the old one grow long before collecting it: a 100,000-row import raised
 * the worker's peak by ~60 MB. One full collection per chunk (~10 ms against ~300 ms of work)
 * keeps the worker at its resting size (bench:crm, `import_added_mb`).
 */
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

type ChunkInput = { tenantId: string; importId: string };

export function createContactImportActivities({ db }: Pick<ActivityDeps, 'db'>) {
  /** One chunk, in one transaction. */
  const importChunk = (input: ChunkInput): Promise<{ done: boolean; rowsDone: number }> =>
    withTenant(db, input.tenantId, async (tx) => {
      const [imp] = await tx
        .select({
          status: contactImports.status,
          mapping: contactImports.mapping,
          columns: contactImports.columns,
          offset: contactImports.offset,
          rowsDone: contactImports.rowsDone,
          total: sql<number>`length(${contactImports.content})`,
          window: sql<string>`substring(${contactImports.content} from ${contactImports.offset} + 1 for ${WINDOW_CHARS})`,
        })
        .from(contactImports)
        .where(eq(contactImports.id, input.importId))
        .for('update');
      if (!imp) throw ApplicationFailure.nonRetryable(`import ${input.importId} not found`, 'NotFound');
      if (imp.status !== 'running') return { done: true, rowsDone: imp.rowsDone };
      const final = imp.offset + imp.window.length >= imp.total;
      const { rows, consumed } = parseRows(imp.window, { final, maxRows: CHUNK_ROWS });
      if (consumed === 0 && !final) {
        await tx.update(contactImports).set({ status: 'failed', finishedAt: sql`now()` }).where(eq(contactImports.id, input.importId));
        throw ApplicationFailure.nonRetryable(`row ${imp.rowsDone + 2} is longer than ${WINDOW_CHARS} characters`, 'RowTooLong');
      }
      // Row 1 is the header.
      const plan = await planChunk(tx, rows, imp.columns, imp.mapping ?? {}, imp.rowsDone + 2);
      await applyChunk(tx, input.tenantId, input.importId, plan);
      const done = final && imp.offset + consumed >= imp.total;
      await tx
        .update(contactImports)
        .set({
          offset: sql`${contactImports.offset} + ${consumed}`,
          rowsDone: sql`${contactImports.rowsDone} + ${rows.length}`,
          created: sql`${contactImports.created} + ${plan.inserts.length}`,
          updated: sql`${contactImports.updated} + ${plan.updates.length}`,
          failed: sql`${contactImports.failed} + ${plan.errors.length}`,
          ...(done && { status: 'done' as const, finishedAt: sql`now()` }),
        })
        .where(eq(contactImports.id, input.importId));
      return { done, rowsDone: imp.rowsDone + rows.length };
    });

  return {
    /**
     * Imports the next chunk of rows. The rows, the errors and the new offset commit together: a
     * retried or restarted chunk starts from the committed offset, so no row is imported twice or
     * skipped. Only a window of the file is ever read, so a large file never sits in memory whole.
     */
    async importContactsChunk(input: ChunkInput): Promise<{ done: boolean; rowsDone: number }> {
      try {
        return await importChunk(input);
      } finally {
        collectGarbage();
      }
    },
  };
}
