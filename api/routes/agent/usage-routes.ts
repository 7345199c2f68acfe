import { createRoute, z } from '@hono/zod-openapi';
import { sql } from 'drizzle-orm';
import { withTenant } from '../../../db/client.js';
import { assertCan } from '../../auth/permissions.js';
import { ErrorBody } from '../../errors.js';
import { requireUser } from '../../middleware/auth.js';
import { jsonResponse, newRouter } from '../../router.js';

const Totals = z.object({ replies: z.number().int(), promptTokens: z.number().int(), completionTokens: z.number().int(), costUsd: z.number(), unpricedReplies: z.number().int() });

export const usageRoutes = newRouter();
usageRoutes.use('*', requireUser);

usageRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/',
    tags: ['agent'],
    summary: 'LLM tokens and cost: for the workspace, per conversation, or for one conversation',
    security: [{ bearer: [] }],
    request: { query: z.object({ conversationId: z.string().uuid().optional(), since: z.string().datetime({ offset: true }).optional() }) },
    responses: {
      200: jsonResponse('Usage', z.object({ total: Totals, conversations: z.array(Totals.extend({ conversationId: z.string().uuid() })) })),
      400: jsonResponse('Invalid input', ErrorBody),
      401: jsonResponse('Not authenticated', ErrorBody),
      403: jsonResponse('Forbidden', ErrorBody),
    },
  }),
  async (c) => {
    const p = c.get('principal');
    assertCan(p, 'agent:read');
    const q = c.req.valid('query');
    const rows = await withTenant(c.get('deps').db, p.tenantId, (tx) =>
      tx.execute<{ conversation_id: string; replies: number; prompt: number; completion: number; cost: number; unpriced: number }>(sql`
        select conversation_id, count(*)::int as replies,
               coalesce(sum((attributes->'usage'->>'promptTokens')::int), 0)::int as prompt,
               coalesce(sum((attributes->'usage'->>'completionTokens')::int), 0)::int as completion,
               coalesce(sum((attributes->'cost'->>'usd')::float8), 0)::float8 as cost,
               count(*) filter (where (attributes->'cost'->>'priced')::boolean is not true)::int as unpriced
        from messages
        where author_role = 'ai' and attributes ? 'usage'
          ${q.conversationId ? sql`and conversation_id = ${q.conversationId}` : sql``}
          ${q.since ? sql`and created_at >= ${q.since}` : sql``}
        group by conversation_id
        order by cost desc, replies desc
        limit 200`),
    );
    const view = (r: (typeof rows)[number]) => ({ replies: r.replies, promptTokens: r.prompt, completionTokens: r.completion, costUsd: r.cost, unpricedReplies: r.unpriced });
    const total = rows.reduce(
      (t, r) => ({ replies: t.replies + r.replies, promptTokens: t.promptTokens + r.prompt, completionTokens: t.completionTokens + r.completion, costUsd: t.costUsd + r.cost, unpricedReplies: t.unpricedReplies + r.unpriced }),
      { replies: 0, promptTokens: 0, completionTokens: 0, costUsd: 0, unpricedReplies: 0 },
    );
    return c.json({ total, conversations: rows.map((r) => ({ conversationId: r.conversation_id, ...view(r) })) }, 200);
  },
);
