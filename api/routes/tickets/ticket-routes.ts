import { createRoute, z } from '@hono/zod-openapi';
import { and, asc, desc, eq, sql, type SQL } from 'drizzle-orm';
import { withTenant, type Tx } from '../../../db/client.js';
import { contacts, conversations, slaPolicies, teams, ticketEvents, tickets, TICKET_PRIORITIES, TICKET_STATUSES, users } from '../../../db/schema/index.js';
import { signalTicketSla, startTicketSla } from '../../../temporal/ticket-sla-starter.js';
import { assertCan } from '../../auth/permissions.js';
import { AppError, ErrorBody } from '../../errors.js';
import { requireUser } from '../../middleware/auth.js';
import { IdParam, bearerSecurity as security, errorResponses as errors, jsonBody, jsonResponse, newRouter } from '../../router.js';
import { Text } from '../../schemas.js';
import { changeTicket, loadTicket } from './ticket-changes.js';
import { requestCsat } from './csat.js';
import { TRANSITIONS } from './ticket-states.js';

export const TicketView = z
  .object({
    id: z.string().uuid(),
    subject: z.string(),
    description: z.string(),
    status: z.enum(TICKET_STATUSES),
    priority: z.enum(TICKET_PRIORITIES),
    tags: z.array(z.string()),
    source: z.string(),
    contactId: z.string().uuid().nullable(),
    conversationId: z.string().uuid().nullable(),
    assigneeId: z.string().uuid().nullable(),
    teamId: z.string().uuid().nullable(),
    sla: z.object({
      firstResponseDueAt: z.string().nullable(),
      firstRespondedAt: z.string().nullable(),
      firstResponseBreachedAt: z.string().nullable(),
      resolutionDueAt: z.string().nullable(),
      resolvedAt: z.string().nullable(),
      resolutionBreachedAt: z.string().nullable(),
    }),
    csat: z.object({ requestedAt: z.string().nullable(), score: z.number().int().nullable().describe('1 (poor) to 5 (great)'), answeredAt: z.string().nullable() }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Ticket');
const EventView = z.object({
  id: z.string().uuid(),
  kind: z.string(),
  from: z.string().nullable(),
  to: z.string().nullable(),
  actorUserId: z.string().uuid().nullable(),
  /** Details: `by: 'customer'` and the message for a reopening reply, `auto` for an auto-close. */
  data: z.record(z.string(), z.unknown()).nullable(),
  at: z.string(),
});

type Row = typeof tickets.$inferSelect;
const iso = (d: Date | null) => d?.toISOString() ?? null;
export const toTicketView = (t: Row) => ({
  id: t.id, subject: t.subject, description: t.description, status: t.status, priority: t.priority, tags: t.tags, source: t.source, contactId: t.contactId, conversationId: t.conversationId,
  assigneeId: t.assigneeId, teamId: t.teamId,
  sla: { firstResponseDueAt: iso(t.firstResponseDueAt), firstRespondedAt: iso(t.firstRespondedAt), firstResponseBreachedAt: iso(t.firstResponseBreachedAt), resolutionDueAt: iso(t.resolutionDueAt), resolvedAt: iso(t.resolvedAt), resolutionBreachedAt: iso(t.resolutionBreachedAt) },
  csat: { requestedAt: iso(t.csatRequestedAt), score: t.csatScore, answeredAt: iso(t.csatAnsweredAt) },
  createdAt: t.createdAt.toISOString(), updatedAt: t.updatedAt.toISOString(),
});

/** Ids the ticket points at must be this workspace's (RLS hides the rest): a 400 naming the field otherwise. */
async function assertRefs(tx: Tx, refs: { contactId?: string | null; conversationId?: string | null; assigneeId?: string | null; teamId?: string | null }) {
  const checks = [
    ['contactId', refs.contactId, contacts, contacts.id],
    ['conversationId', refs.conversationId, conversations, conversations.id],
    ['assigneeId', refs.assigneeId, users, users.id],
    ['teamId', refs.teamId, teams, teams.id],
  ] as const;
  for (const [field, value, table, column] of checks) {
    if (!value) continue;
    const found = await tx.select({ id: column }).from(table).where(eq(column, value));
    if (!found.length) throw new AppError('validation_failed', `${field} is not one of this workspace's`, [{ field, message: 'not found in this workspace' }]);
  }
}

const Editable = z.object({
  subject: Text(1, 300),
  description: Text(0, 20_000).optional(),
  priority: z.enum(TICKET_PRIORITIES).optional(),
  tags: z.array(Text(1, 60)).max(30).optional(),
  assigneeId: z.string().uuid().nullable().optional(),
  teamId: z.string().uuid().nullable().optional(),
});

export const ticketRoutes = newRouter();
ticketRoutes.use('/tickets/*', requireUser);
ticketRoutes.use('/tickets', requireUser);
ticketRoutes.use('/sla-policies', requireUser);

ticketRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/tickets',
    tags: ['tickets'],
    summary: 'File a ticket by hand; its SLA clock starts at once',
    security,
    request: jsonBody(Editable.extend({ contactId: z.string().uuid().optional(), conversationId: z.string().uuid().optional() })),
    responses: { 201: jsonResponse('Created', z.object({ ticket: TicketView })), ...errors },
  }),
  async (c) => {
    const p = c.get('principal');
    assertCan(p, 'tickets:write');
    const body = c.req.valid('json');
    const deps = c.get('deps');
    const ticket = await withTenant(deps.db, p.tenantId, async (tx) => {
      await assertRefs(tx, body);
      let contactId = body.contactId ?? null;
      if (!contactId && body.conversationId) [{ contactId }] = await tx.select({ contactId: conversations.contactId }).from(conversations).where(eq(conversations.id, body.conversationId));
      const [row] = await tx
        .insert(tickets)
        .values({
          tenantId: p.tenantId, subject: body.subject, description: body.description ?? '', priority: body.priority ?? 'normal', tags: [...new Set(body.tags ?? [])], source: body.conversationId ? 'conversation' : 'manual',
          contactId, conversationId: body.conversationId ?? null, assigneeId: body.assigneeId ?? null, teamId: body.teamId ?? null,
        })
        .returning();
      await tx.insert(ticketEvents).values({ tenantId: p.tenantId, ticketId: row.id, kind: 'created', toValue: 'new', actorUserId: p.userId });
      return row;
    });
    await startTicketSla(deps.db, deps.temporal, deps.taskQueue, p.tenantId, ticket.id);
    return c.json({ ticket: toTicketView(ticket) }, 201);
  },
);

ticketRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/tickets',
    tags: ['tickets'],
    summary: 'Tickets, newest first, by status, priority, assignee, team or tag',
    security,
    request: { query: z.object({ status: z.enum(TICKET_STATUSES).optional(), priority: z.enum(TICKET_PRIORITIES).optional(), assigneeId: z.string().uuid().optional(), teamId: z.string().uuid().optional(), tag: Text(1, 60).optional(), limit: z.coerce.number().int().min(1).max(200).default(50) }) },
    responses: { 200: jsonResponse('Tickets', z.object({ tickets: z.array(TicketView) })), ...errors },
  }),
  async (c) => {
    const p = c.get('principal');
    assertCan(p, 'tickets:read');
    const q = c.req.valid('query');
    const filters: SQL[] = [];
    if (q.status) filters.push(eq(tickets.status, q.status));
    if (q.priority) filters.push(eq(tickets.priority, q.priority));
    if (q.assigneeId) filters.push(eq(tickets.assigneeId, q.assigneeId));
    if (q.teamId) filters.push(eq(tickets.teamId, q.teamId));
    if (q.tag) filters.push(sql`${q.tag} = any(${tickets.tags})`);
    const rows = await withTenant(c.get('deps').db, p.tenantId, (tx) => tx.select().from(tickets).where(and(...filters)).orderBy(desc(tickets.createdAt)).limit(q.limit));
    return c.json({ tickets: rows.map(toTicketView) }, 200);
  },
);

ticketRoutes.openapi(
  createRoute({ method: 'get', path: '/tickets/{id}', tags: ['tickets'], summary: 'A ticket with every change made to it', security, request: { params: IdParam }, responses: { 200: jsonResponse('Ticket', z.object({ ticket: TicketView, events: z.array(EventView), transitions: z.array(z.enum(TICKET_STATUSES)) })), ...errors } }),
  async (c) => {
    const p = c.get('principal');
    assertCan(p, 'tickets:read');
    const { id } = c.req.valid('param');
    const out = await withTenant(c.get('deps').db, p.tenantId, async (tx) => {
      const t = await loadTicket(tx, id);
      const events = await tx.select().from(ticketEvents).where(eq(ticketEvents.ticketId, id)).orderBy(asc(ticketEvents.createdAt));
      return { ticket: toTicketView(t), events: events.map((e) => ({ id: e.id, kind: e.kind, from: e.fromValue, to: e.toValue, actorUserId: e.actorUserId, data: e.data ?? null, at: e.createdAt.toISOString() })), transitions: [...TRANSITIONS[t.status]] };
    });
    return c.json(out, 200);
  },
);

ticketRoutes.openapi(
  createRoute({ method: 'patch', path: '/tickets/{id}', tags: ['tickets'], summary: "Change a ticket's subject, priority, tags, assignee or team (each change is recorded)", security, request: { params: IdParam, ...jsonBody(Editable.partial()) }, responses: { 200: jsonResponse('Ticket', z.object({ ticket: TicketView })), ...errors } }),
  async (c) => {
    const p = c.get('principal');
    assertCan(p, 'tickets:write');
    const { id } = c.req.valid('param');
    const body = c.req.valid('json');
    const ticket = await withTenant(c.get('deps').db, p.tenantId, async (tx) => {
      const before = await loadTicket(tx, id, true);
      await assertRefs(tx, body);
      const [after] = await tx
        .update(tickets)
        .set({
          ...(body.subject !== undefined && { subject: body.subject }),
          ...(body.description !== undefined && { description: body.description }),
          ...(body.priority !== undefined && { priority: body.priority }),
          ...(body.tags !== undefined && { tags: [...new Set(body.tags)] }),
          ...(body.assigneeId !== undefined && { assigneeId: body.assigneeId }),
          ...(body.teamId !== undefined && { teamId: body.teamId }),
          updatedAt: sql`now()`,
        })
        .where(eq(tickets.id, id))
        .returning();
      for (const field of ['priority', 'assigneeId', 'teamId'] as const) {
        if (before[field] !== after[field]) await tx.insert(ticketEvents).values({ tenantId: p.tenantId, ticketId: id, kind: `${field === 'priority' ? 'priority' : field === 'assigneeId' ? 'assignee' : 'team'}_changed`, fromValue: before[field], toValue: after[field], actorUserId: p.userId });
      }
      return after;
    });
    return c.json({ ticket: toTicketView(ticket) }, 200);
  },
);

ticketRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/tickets/{id}/status',
    tags: ['tickets'],
    summary: 'Move a ticket through its lifecycle (new → open ⇄ pending → resolved → closed; resolved reopens). The first move out of new by an agent is its first response',
    security,
    request: { params: IdParam, ...jsonBody(z.object({ status: z.enum(TICKET_STATUSES) })) },
    responses: { 200: jsonResponse('Ticket', z.object({ ticket: TicketView })), 409: jsonResponse('Not allowed from this status', ErrorBody), ...errors },
  }),
  async (c) => {
    const p = c.get('principal');
    assertCan(p, 'tickets:write');
    const { id } = c.req.valid('param');
    const { status } = c.req.valid('json');
    const deps = c.get('deps');
    const { ticket, responded } = await withTenant(deps.db, p.tenantId, (tx) => changeTicket(tx, p.tenantId, id, p.userId, { status, strictStatus: true }));
    await signalTicketSla(deps.db, deps.temporal, deps.taskQueue, p.tenantId, id, { status, ...(responded && { responded: true }) });
    await requestCsat(deps, p, ticket);
    return c.json({ ticket: toTicketView(ticket) }, 200);
  },
);

const PolicyView = z.object({ priority: z.enum(TICKET_PRIORITIES), firstResponseMinutes: z.number().int(), resolutionMinutes: z.number().int(), warnBeforeMinutes: z.number().int(), businessHours: z.boolean() }).openapi('SlaPolicy');

ticketRoutes.openapi(
  createRoute({ method: 'get', path: '/sla-policies', tags: ['tickets'], summary: 'SLA targets per priority', security, responses: { 200: jsonResponse('Policies', z.object({ policies: z.array(PolicyView) })), ...errors } }),
  async (c) => {
    const p = c.get('principal');
    assertCan(p, 'tickets:read');
    const rows = await withTenant(c.get('deps').db, p.tenantId, (tx) => tx.select().from(slaPolicies));
    return c.json({ policies: rows.map(({ priority, firstResponseMinutes, resolutionMinutes, warnBeforeMinutes, businessHours }) => ({ priority, firstResponseMinutes, resolutionMinutes, warnBeforeMinutes, businessHours })) }, 200);
  },
);

ticketRoutes.openapi(
  createRoute({
    method: 'put',
    path: '/sla-policies',
    tags: ['tickets'],
    summary: 'Set the SLA targets per priority (tickets filed from now on use them); a priority left out has none',
    security,
    request: jsonBody(
      z.object({
        policies: z
          .array(z.object({ priority: z.enum(TICKET_PRIORITIES), firstResponseMinutes: z.number().int().min(1).max(525_600), resolutionMinutes: z.number().int().min(1).max(525_600), warnBeforeMinutes: z.number().int().min(0).max(10_080).default(15), businessHours: z.boolean().default(true) }))
          .max(4)
          .refine((ps) => new Set(ps.map((x) => x.priority)).size === ps.length, 'one policy per priority')
          .refine((ps) => ps.every((x) => x.resolutionMinutes >= x.firstResponseMinutes), 'resolution cannot come before the first response'),
      }),
    ),
    responses: { 200: jsonResponse('Policies', z.object({ policies: z.array(PolicyView) })), ...errors },
  }),
  async (c) => {
    const p = c.get('principal');
    assertCan(p, 'tickets:manage');
    const { policies } = c.req.valid('json');
    await withTenant(c.get('deps').db, p.tenantId, async (tx) => {
      await tx.delete(slaPolicies);
      if (policies.length) await tx.insert(slaPolicies).values(policies.map((x) => ({ ...x, tenantId: p.tenantId })));
    });
    return c.json({ policies }, 200);
  },
);
