import { z } from '@hono/zod-openapi';
import { asc, eq, inArray } from 'drizzle-orm';
import type { Tx } from '../../../db/client.js';
import { contacts, leads, pipelineStages, pipelines } from '../../../db/schema/index.js';
import { notFound } from '../../errors.js';

export const StageView = z.object({ id: z.string().uuid(), name: z.string(), kind: z.enum(['open', 'won', 'lost']), position: z.number().int() }).openapi('PipelineStage');
export const PipelineView = z.object({ id: z.string().uuid(), name: z.string(), position: z.number().int(), stages: z.array(StageView) }).openapi('Pipeline');

export const LeadView = z
  .object({
    id: z.string().uuid(),
    pipelineId: z.string().uuid(),
    stageId: z.string().uuid(),
    contact: z.object({ id: z.string().uuid(), name: z.string().nullable() }),
    ownerId: z.string().uuid().nullable(),
    title: z.string(),
    value: z.string().nullable().describe('A decimal string, so no cent is lost'),
    currency: z.string(),
    score: z.number().int().nullable(),
    source: z.string().nullable(),
    expectedCloseDate: z.string().nullable(),
    tags: z.array(z.string()),
    position: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Lead');
export type LeadView = z.infer<typeof LeadView>;

export async function loadPipeline(tx: Tx, id: string): Promise<z.infer<typeof PipelineView>> {
  const [p] = await tx.select().from(pipelines).where(eq(pipelines.id, id));
  if (!p) throw notFound('pipeline');
  const stages = await tx.select().from(pipelineStages).where(eq(pipelineStages.pipelineId, id)).orderBy(asc(pipelineStages.position));
  return { id: p.id, name: p.name, position: p.position, stages: stages.map((s) => ({ id: s.id, name: s.name, kind: s.kind, position: s.position })) };
}

export const leadColumns = { lead: leads, contactName: contacts.name };

export function toLeadView(row: { lead: typeof leads.$inferSelect; contactName: string | null }): LeadView {
  const l = row.lead;
  return {
    id: l.id, pipelineId: l.pipelineId, stageId: l.stageId, contact: { id: l.contactId, name: row.contactName }, ownerId: l.ownerId, title: l.title, value: l.value, currency: l.currency,
    score: l.score, source: l.source, expectedCloseDate: l.expectedCloseDate, tags: l.tags, position: l.position, createdAt: l.createdAt.toISOString(), updatedAt: l.updatedAt.toISOString(),
  };
}

export async function loadLead(tx: Tx, id: string, forUpdate = false): Promise<LeadView> {
  const q = tx.select(leadColumns).from(leads).innerJoin(contacts, eq(contacts.id, leads.contactId)).where(eq(leads.id, id));
  const [row] = await (forUpdate ? q.for('update', { of: leads }) : q);
  if (!row) throw notFound('lead');
  return toLeadView(row);
}

export const stagesOf = (tx: Tx, pipelineIds: string[]) =>
  pipelineIds.length ? tx.select().from(pipelineStages).where(inArray(pipelineStages.pipelineId, pipelineIds)).orderBy(asc(pipelineStages.position)) : Promise.resolve([]);
