import { createRoute, z } from '@hono/zod-openapi';
import { sql } from 'drizzle-orm';
import { jsonResponse, newRouter } from '../router.js';

const Check = z.object({ status: z.enum(['ok', 'down']), latencyMs: z.number(), error: z.string().optional() });
const Health = z.object({ status: z.enum(['ok', 'degraded']), checks: z.object({ postgres: Check, temporal: Check, mongo: Check }) }).openapi('Health');

async function check(fn: () => Promise<unknown>): Promise<z.infer<typeof Check>> {
  const started = performance.now();
  try {
    await Promise.race([fn(), new Promise((_, reject) => setTimeout(() => reject(new Error('timed out after 2s')), 2000))]);
    return { status: 'ok', latencyMs: Math.round(performance.now() - started) };
  } catch (err) {
    return { status: 'down', latencyMs: Math.round(performance.now() - started), error: (err as Error).message };
  }
}

export const healthRoutes = newRouter();
healthRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/health',
    tags: ['ops'],
    summary: 'Each dependency and whether it answers',
    responses: { 200: jsonResponse('All dependencies answer', Health), 503: jsonResponse('A dependency is down', Health) },
  }),
  async (c) => {
    const { db, temporal, mongo } = c.get('deps');
    const [postgres, temporalCheck, mongoCheck] = await Promise.all([
      check(() => db.execute(sql`select 1`)),
      check(() => temporal.workflowService.getSystemInfo({})),
      check(() => mongo.db().command({ ping: 1 })),
    ]);
    const checks = { postgres, temporal: temporalCheck, mongo: mongoCheck };
    const ok = Object.values(checks).every((x) => x.status === 'ok');
    return c.json({ status: ok ? ('ok' as const) : ('degraded' as const), checks }, ok ? 200 : 503);
  },
);
