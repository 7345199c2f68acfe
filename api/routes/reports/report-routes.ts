import { createRoute, z } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import { withTenant } from '../../../db/client.js';
import { tenants } from '../../../db/schema/index.js';
import { assertCan } from '../../auth/permissions.js';
import { AppError } from '../../errors.js';
import { requireUser } from '../../middleware/auth.js';
import { bearerSecurity as security, errorResponses as errors, jsonResponse, newRouter } from '../../router.js';
import { reportFigures } from './report-queries.js';

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date, YYYY-MM-DD').refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), 'not a calendar date');
const MAX_DAYS = 366;
const DAY_MS = 86_400_000;

const Seconds = z.number().nullable().describe('Median, in seconds; null without data');
const ReportView = z.object({
  window: z.object({ from: z.string(), to: z.string(), interval: z.enum(['day', 'week']), timeZone: z.string() }),
  conversationsByChannel: z.array(z.object({ bucket: z.string(), channel: z.string(), count: z.number().int() })),
  aiResolution: z.object({ conversations: z.number().int(), resolved: z.number().int(), resolvedByAi: z.number().int(), share: z.number().nullable() }),
  firstResponse: z.object({ medianSeconds: Seconds, humanMedianSeconds: Seconds, answered: z.number().int() }),
  tickets: z.object({ firstResponseMedianSeconds: Seconds, resolutionMedianSeconds: Seconds, resolved: z.number().int() }),
  csat: z.object({ asked: z.number().int(), answers: z.number().int(), average: z.number().nullable(), satisfiedShare: z.number().nullable().describe('Ratings of 4 or 5, of all ratings') }),
  slaBreaches: z.array(z.object({ priority: z.string(), tickets: z.number().int(), firstResponse: z.number().int(), resolution: z.number().int() })),
  pipelineValue: z.array(z.object({ pipelineId: z.string(), pipeline: z.string(), stageId: z.string(), stage: z.string(), kind: z.string(), currency: z.string().nullable(), leads: z.number().int(), value: z.number() })),
  leadOutcomes: z.array(z.object({ bucket: z.string(), kind: z.enum(['won', 'lost']), leads: z.number().int() })),
});

/** Today's date where the workspace is. */
const todayIn = (timeZone: string) => new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());

export const reportRoutes = newRouter();
reportRoutes.use('/reports', requireUser);

reportRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/reports',
    tags: ['reports'],
    summary: "The reports page's figures over whole days in the workspace's time zone (default: the last 30 days)",
    security,
    request: {
      query: z.object({
        from: Day.optional(),
        to: Day.optional(),
        interval: z.enum(['day', 'week']).default('day'),
      }),
    },
    responses: { 200: jsonResponse('Figures', ReportView), ...errors },
  }),
  async (c) => {
    const p = c.get('principal');
    assertCan(p, 'reports:read');
    const q = c.req.valid('query');
    const figures = await withTenant(c.get('deps').db, p.tenantId, async (tx) => {
      const [{ timeZone }] = await tx.select({ timeZone: tenants.timezone }).from(tenants).where(eq(tenants.id, p.tenantId));
      const to = q.to ?? todayIn(timeZone);
      const from = q.from ?? new Date(Date.parse(`${to}T00:00:00Z`) - 29 * DAY_MS).toISOString().slice(0, 10);
      const days = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS + 1;
      if (days < 1) throw new AppError('validation_failed', 'from must not be after to', [{ field: 'from', message: 'after to' }]);
      if (days > MAX_DAYS) throw new AppError('validation_failed', `at most ${MAX_DAYS} days at a time`, [{ field: 'from', message: `more than ${MAX_DAYS} days before to` }]);
      const window = { from, to, interval: q.interval, timeZone };
      return { window, ...(await reportFigures(tx, window)) };
    });
    return c.json(figures, 200);
  },
);
