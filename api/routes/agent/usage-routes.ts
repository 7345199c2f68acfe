import { createRoute, z } from '@hono/zod-openapi';
import { sql } from 'drizzle-orm';
import { withTenant } from '../../../db/client.js';
import { assertCan } from '../../auth/permissions.js';
import { ErrorBody } from '../../errors.js';
import { requireUser } from '../../middleware/auth.js';
import { jsonResponse, newRouter } from '../../router.js';

const Totals = z.object({ replies: z.number(), promptTokens: z.number(), completionTokens: z.number(), costUsd: z.number(), unpricedReplies: z.number() });

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
      200: jsonResponse('Usage (conversations: the 200 costliest)', z.object({ total: Totals, conversations: z.array(Totals.extend({ conversationId: z.string().uuid() })) })),
      400: jsonResponse('Invalid input', ErrorBody),
      401: jsonResponse('Not authenticated', ErrorBody),
      403: jsonResponse('Forbidden', ErrorBody),
    },
  }),
  async (c) => {
    const p = c.get('principal');
    assertCan(p, 'agent:read');
    const q = c.req.valid('query');
    type Row = { conversation_id: string; replies: number; prompt: number; completion: number; cost: number; unpriced: number };
    const where = sql`where author_role = 'ai' and attributes ? 'usage'
      ${q.conversationId ? sql`and conversation_id = ${q.conversationId}` : sql``}
      ${q.since ? sql`and created_at >= ${q.since}` : sql``}`;
    // Token sums are bigint (a busy workspace passes 2^31), returned as numbers.
    const measures = sql`count(*)::float8 as replies,
      coalesce(sum((attributes->'usage'->>'promptTokens')::bigint), 0)::float8 as prompt,
      coalesce(sum((attributes->'usage'->>'completionTokens')::bigint), 0)::float8 as completion,
      coalesce(sum((attributes->'cost'->>'usd')::float8), 0)::float8 as cost,
      count(*) filter (where (attributes->'cost'->>'priced')::boolean is not true)::float8 as unpriced`;
    const [totals, rows] = await withTenant(c.get('deps').db, p.tenantId, async (tx) => [
      await tx.execute<Row>(sql`select ${measures} from messages ${where}`),
      await tx.execute<Row>(sql`select conversation_id, ${measures} from messages ${where} group by conversation_id order by cost desc, replies desc limit 200`),
    ]);
    const view = (r: Row) => ({ replies: r.replies, promptTokens: r.prompt, completionTokens: r.completion, costUsd: r.cost, unpricedReplies: r.unpriced });
    return c.json({ total: view(totals[0]), conversations: rows.map((r) => ({ conversationId: r.conversation_id, ...view(r) })) }, 200);
  },
);
