import { createRoute, z } from '@hono/zod-openapi';
import { eq, sql } from 'drizzle-orm';
import { withTenant } from '../../../db/client.js';
import { auditLog, tenants } from '../../../db/schema/index.js';
import { assertCan } from '../../auth/permissions.js';
import { ErrorBody } from '../../errors.js';
import { requireUser } from '../../middleware/auth.js';
import { jsonBody, jsonResponse, newRouter } from '../../router.js';
import { Text } from '../../schemas.js';
import { WidgetSettingsPatch, widgetSettingsOf } from '../../services/widget-settings.js';
import { isValidTimeZone } from '../../../workflows/automation/calendar.js';

const BusinessHours = z
  .object({ days: z.array(z.number().int().min(0).max(6)).min(1).max(7), openMinute: z.number().int().min(0).max(1439), closeMinute: z.number().int().min(1).max(1440) })
  .refine((h) => h.closeMinute > h.openMinute, { message: 'closing comes after opening', path: ['closeMinute'] });

const WorkspaceView = z
  .object({
    id: z.string().uuid(),
    name: z.string(),
    widgetKey: z.string(),
    idleAutoCloseMinutes: z.number().int().describe('An open conversation with no activity for this long closes by itself.'),
    timezone: z.string().describe("IANA zone for automation delays and SLA business hours"),
    businessHours: BusinessHours.nullable().describe('Open days (0 = Sunday) and minutes of the day; null is Monday to Friday, 9:00 to 17:00'),
    ticketAutoCloseDays: z.number().int().describe('A resolved ticket closes by itself after this many days'),
    csatEnabled: z.boolean().describe("Ask the customer to rate a ticket from 1 to 5 when it is resolved, on its conversation's channel"),
  })
  .openapi('Workspace');

const view = (t: typeof tenants.$inferSelect) => ({
  id: t.id, name: t.name, widgetKey: t.widgetKey, idleAutoCloseMinutes: t.idleAutoCloseMinutes, timezone: t.timezone, businessHours: t.businessHours, ticketAutoCloseDays: t.ticketAutoCloseDays, csatEnabled: t.csatEnabled,
});
const errors = { 400: jsonResponse('Invalid input', ErrorBody), 401: jsonResponse('Not authenticated', ErrorBody), 403: jsonResponse('Forbidden', ErrorBody) };

export const workspaceRoutes = newRouter();
workspaceRoutes.use('/workspace', requireUser);
workspaceRoutes.use('/workspace/*', requireUser);

workspaceRoutes.openapi(
  createRoute({ method: 'get', path: '/workspace', tags: ['workspace'], summary: 'Workspace settings', security: [{ bearer: [] }], responses: { 200: jsonResponse('Workspace', WorkspaceView), ...errors } }),
  async (c) => {
    const p = c.get('principal');
    const [t] = await withTenant(c.get('deps').db, p.tenantId, (tx) => tx.select().from(tenants).where(eq(tenants.id, p.tenantId)));
    return c.json(view(t), 200);
  },
);

workspaceRoutes.openapi(
  createRoute({
    method: 'patch',
    path: '/workspace',
    tags: ['workspace'],
    summary: 'Change workspace settings (owner, admin); new conversation runs use the new idle timeout',
    security: [{ bearer: [] }],
    request: jsonBody(
      z
        .object({
          name: Text(1, 120).optional(),
          idleAutoCloseMinutes: z.number().int().min(5).max(60 * 24 * 90).optional(),
          timezone: z.string().refine(isValidTimeZone, 'an IANA time zone, like Europe/Amsterdam').optional(),
          businessHours: BusinessHours.nullable().optional(),
          ticketAutoCloseDays: z.number().int().min(1).max(365).optional(),
          csatEnabled: z.boolean().optional(),
        })
        .refine((b) => Object.values(b).some((v) => v !== undefined), 'give at least one setting to change'),
    ),
    responses: { 200: jsonResponse('Workspace', WorkspaceView), ...errors },
  }),
  async (c) => {
    const p = c.get('principal');
    assertCan(p, 'workspace:manage');
    const body = c.req.valid('json');
    const t = await withTenant(c.get('deps').db, p.tenantId, async (tx) => {
      const [row] = await tx.update(tenants).set(body).where(eq(tenants.id, p.tenantId)).returning();
      await tx.insert(auditLog).values({ tenantId: p.tenantId, actorUserId: p.userId, action: 'workspace.updated', targetType: 'tenant', targetId: p.tenantId, data: body });
      return row;
    });
    return c.json(view(t), 200);
  },
);

const WidgetView = z
  .object({
    widgetKey: z.string(),
    color: z.string(),
    greeting: z.string(),
    preChatForm: z.boolean(),
    embedSnippet: z.string().describe('The script tag to paste into a website.'),
  })
  .openapi('WidgetSettings');

const attr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
function widgetView(t: typeof tenants.$inferSelect, publicUrl: string) {
  const src = `${publicUrl.replace(/\/+$/, '')}/widget.js`;
  return { widgetKey: t.widgetKey, ...widgetSettingsOf(t.widgetSettings), embedSnippet: `<script src="${attr(src)}" data-key="${attr(t.widgetKey)}" async></script>` };
}

workspaceRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/workspace/widget',
    tags: ['workspace'],
    summary: "The website widget's key, look and embed snippet",
    security: [{ bearer: [] }],
    responses: { 200: jsonResponse('Widget settings', WidgetView), ...errors },
  }),
  async (c) => {
    const p = c.get('principal');
    const { db, config } = c.get('deps');
    const [t] = await withTenant(db, p.tenantId, (tx) => tx.select().from(tenants).where(eq(tenants.id, p.tenantId)));
    return c.json(widgetView(t, config.PUBLIC_URL), 200);
  },
);

workspaceRoutes.openapi(
  createRoute({
    method: 'patch',
    path: '/workspace/widget',
    tags: ['workspace'],
    summary: "Change the widget's colour, greeting or pre-chat form (owner, admin)",
    security: [{ bearer: [] }],
    request: jsonBody(WidgetSettingsPatch.refine((b) => Object.keys(b).length > 0, 'give at least one setting to change')),
    responses: { 200: jsonResponse('Widget settings', WidgetView), ...errors },
  }),
  async (c) => {
    const p = c.get('principal');
    assertCan(p, 'workspace:manage');
    const body = c.req.valid('json');
    const { db, config } = c.get('deps');
    const t = await withTenant(db, p.tenantId, async (tx) => {
      // Merged in the database, so two admins changing different settings both keep their change.
      const [row] = await tx
        .update(tenants)
        .set({ widgetSettings: sql`${tenants.widgetSettings} || ${JSON.stringify(body)}::jsonb` })
        .where(eq(tenants.id, p.tenantId))
        .returning();
      await tx.insert(auditLog).values({ tenantId: p.tenantId, actorUserId: p.userId, action: 'workspace.widget_updated', targetType: 'tenant', targetId: p.tenantId, data: body });
      return row;
    });
    return c.json(widgetView(t, config.PUBLIC_URL), 200);
  },
);
