import { createRoute, z } from '@hono/zod-openapi';
import { asc, eq } from 'drizzle-orm';
import { withTenant } from '../../../db/client.js';
import { contacts, macros, TICKET_PRIORITIES, TICKET_STATUSES, users } from '../../../db/schema/index.js';
import { signalTicketSla } from '../../../temporal/ticket-sla-starter.js';
import { assertCan } from '../../auth/permissions.js';
import { AppError, ErrorBody, notFound } from '../../errors.js';
import { requireUser } from '../../middleware/auth.js';
import { IdParam, bearerSecurity as security, errorResponses as errors, jsonBody, jsonResponse, newRouter } from '../../router.js';
import { Text } from '../../schemas.js';
import { sendAgentReply } from '../../services/agent-replies.js';
import { changeTicket, loadTicket } from './ticket-changes.js';
import { requestCsat } from './csat.js';
import { canMove } from './ticket-states.js';
import { TicketView, toTicketView } from './ticket-routes.js';

const VARIABLES = ['contact.name', 'ticket.subject', 'ticket.id', 'agent.name'] as const;
const Actions = z
  .object({
    status: z.enum(TICKET_STATUSES).optional(),
    priority: z.enum(TICKET_PRIORITIES).optional(),
    addTags: z.array(Text(1, 60)).max(20).optional(),
    removeTags: z.array(Text(1, 60)).max(20).optional(),
    assigneeId: z.string().uuid().nullable().optional(),
  })
  .strict();
const MacroInput = z.object({
  name: Text(1, 120),
  reply: Text(1, 4096)
    .refine((r) => [...r.matchAll(/\{\{\s*([^}]*?)\s*\}\}/g)].every((m) => (VARIABLES as readonly string[]).includes(m[1])), `variables are ${VARIABLES.map((v) => `{{${v}}}`).join(', ')}`)
    .nullable()
    .optional(),
  actions: Actions.default({}),
});
const MacroView = z.object({ id: z.string().uuid(), name: z.string(), reply: z.string().nullable(), actions: Actions }).openapi('Macro');
const toMacroView = (m: typeof macros.$inferSelect) => ({ id: m.id, name: m.name, reply: m.reply, actions: m.actions });

/** Fills a macro's variables; an unknown one stays as written (they are checked when the macro is saved). */
export function renderMacro(reply: string, values: Record<(typeof VARIABLES)[number], string>): string {
  return reply.replace(/\{\{\s*([^}]*?)\s*\}\}/g, (whole, name: string) => (name in values ? values[name as keyof typeof values] : whole));
}

export const macroRoutes = newRouter();
macroRoutes.use('/macros', requireUser);
macroRoutes.use('/macros/*', requireUser);
macroRoutes.use('/tickets/:id/apply-macro', requireUser);

macroRoutes.openapi(
  createRoute({ method: 'get', path: '/macros', tags: ['tickets'], summary: 'Macros, by name', security, responses: { 200: jsonResponse('Macros', z.object({ macros: z.array(MacroView) })), ...errors } }),
  async (c) => {
    const p = c.get('principal');
    assertCan(p, 'tickets:read');
    const rows = await withTenant(c.get('deps').db, p.tenantId, (tx) => tx.select().from(macros).orderBy(asc(macros.name)));
    return c.json({ macros: rows.map(toMacroView) }, 200);
  },
);

macroRoutes.openapi(
  createRoute({ method: 'post', path: '/macros', tags: ['tickets'], summary: 'Save a macro: a reply with variables and ticket changes', security, request: jsonBody(MacroInput), responses: { 201: jsonResponse('Created', z.object({ macro: MacroView })), 409: jsonResponse('Name taken', ErrorBody), ...errors } }),
  async (c) => {
    const p = c.get('principal');
    assertCan(p, 'tickets:manage');
    const body = c.req.valid('json');
    const [row] = await withTenant(c.get('deps').db, p.tenantId, (tx) => tx.insert(macros).values({ tenantId: p.tenantId, name: body.name, reply: body.reply ?? null, actions: body.actions }).returning());
    return c.json({ macro: toMacroView(row) }, 201);
  },
);

macroRoutes.openapi(
  createRoute({ method: 'delete', path: '/macros/{id}', tags: ['tickets'], summary: 'Delete a macro', security, request: { params: IdParam }, responses: { 204: { description: 'Deleted' }, ...errors } }),
  async (c) => {
    const p = c.get('principal');
    assertCan(p, 'tickets:manage');
    const [row] = await withTenant(c.get('deps').db, p.tenantId, (tx) => tx.delete(macros).where(eq(macros.id, c.req.valid('param').id)).returning({ id: macros.id }));
    if (!row) throw notFound('macro');
    return c.body(null, 204);
  },
);

macroRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/tickets/{id}/apply-macro',
    tags: ['tickets'],
    summary: "Apply a macro: its changes to the ticket, and its reply, filled in, sent on the ticket's conversation",
    security,
    request: { params: IdParam, ...jsonBody(z.object({ macroId: z.string().uuid() })) },
    responses: { 200: jsonResponse('Applied', z.object({ ticket: TicketView, reply: z.object({ text: z.string(), messageId: z.string().uuid().nullable() }).nullable() })), 409: jsonResponse('A change the ticket’s status does not allow', ErrorBody), ...errors },
  }),
  async (c) => {
    const p = c.get('principal');
    assertCan(p, 'tickets:write');
    const { id } = c.req.valid('param');
    const { macroId } = c.req.valid('json');
    const deps = c.get('deps');
    const prepared = await withTenant(deps.db, p.tenantId, async (tx) => {
      const ticket = await loadTicket(tx, id);
      const [macro] = await tx.select().from(macros).where(eq(macros.id, macroId));
      if (!macro) throw new AppError('validation_failed', 'no such macro', [{ field: 'macroId', message: 'not a macro of this workspace' }]);
      const to = macro.actions.status;
      if (to && to !== ticket.status && !canMove(ticket.status, to)) throw new AppError('conflict', `this macro sets the status ${to}, which a ${ticket.status} ticket cannot take`, [{ field: 'macroId', message: 'its status change is not allowed now' }]);
      const [contact] = ticket.contactId ? await tx.select({ name: contacts.name }).from(contacts).where(eq(contacts.id, ticket.contactId)) : [];
      const [agent] = await tx.select({ name: users.name }).from(users).where(eq(users.id, p.userId));
      const text = macro.reply ? renderMacro(macro.reply, { 'contact.name': contact?.name ?? 'there', 'ticket.subject': ticket.subject, 'ticket.id': ticket.id, 'agent.name': agent?.name ?? '' }) : null;
      return { ticket, macro, text };
    });
    // The reply goes first: a refused send changes nothing on the ticket.
    const message = prepared.text && prepared.ticket.conversationId ? await sendAgentReply(deps, p, prepared.ticket.conversationId, prepared.text) : null;
    const { ticket, responded } = await withTenant(deps.db, p.tenantId, (tx) => changeTicket(tx, p.tenantId, id, p.userId, { ...prepared.macro.actions, replied: !!message }));
    if (responded || prepared.macro.actions.status) await signalTicketSla(deps.db, deps.temporal, deps.taskQueue, p.tenantId, id, { ...(prepared.macro.actions.status && { status: prepared.macro.actions.status }), ...(responded && { responded: true }) });
    await requestCsat(deps, p, ticket);
    return c.json({ ticket: toTicketView(ticket), reply: prepared.text ? { text: prepared.text, messageId: message?.id ?? null } : null }, 200);
  },
);
