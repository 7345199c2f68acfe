import { createRoute, z } from '@hono/zod-openapi';
import type { UpdateDefinition } from '@temporalio/common';
import { asc, eq } from 'drizzle-orm';
import { withTenant, type Tx } from '../../../db/client.js';
import { TOOL_CALL_STATUSES, conversations, teams, toolCalls, users } from '../../../db/schema/index.js';
import { CONVERSATION_OWNERS, CONVERSATION_STATUSES, type ConversationView as ConversationState } from '../../../temporal/contracts.js';
import { assign, close, decideToolCall, handBack, reopen, snooze, takeOver } from '../../../workflows/conversation.workflow.js';
import { assertCan } from '../../auth/permissions.js';
import type { AppEnv } from '../../context.js';
import { AppError, ErrorBody, notFound } from '../../errors.js';
import { requireUser } from '../../middleware/auth.js';
import { IdParam, bearerSecurity as security, errorResponses as errors, jsonBody, jsonResponse, newRouter } from '../../router.js';
import { Text } from '../../schemas.js';
import { updateConversation } from '../../services/conversation-workflows.js';
import { sendAgentReply } from '../../services/agent-replies.js';
import { AgentMessageView } from './agent-message-views.js';
import { conversationReadRoutes } from './conversation-read-routes.js';
import { conversationLabelRoutes } from './label-routes.js';
import { iso } from './views.js';
import type { Context } from 'hono';

export const conversationRoutes = newRouter();
conversationRoutes.use('*', requireUser);
conversationRoutes.route('/', conversationReadRoutes);
conversationRoutes.route('/', conversationLabelRoutes);

async function loadConversation(tx: Tx, id: string) {
  const [row] = await tx.select({ id: conversations.id, channel: conversations.channel }).from(conversations).where(eq(conversations.id, id));
  if (!row) throw notFound('conversation');
  return row;
}

/** Checks the conversation belongs to the caller's tenant, then runs the workflow update. */
async function act<Args>(c: Context<AppEnv>, id: string, update: UpdateDefinition<ConversationState, [Args]>, args: Args): Promise<ConversationState> {
  const p = c.get('principal');
  const { db, temporal, taskQueue } = c.get('deps');
  assertCan(p, 'conversations:act');
  await withTenant(db, p.tenantId, (tx) => loadConversation(tx, id));
  return updateConversation(temporal, taskQueue, { tenantId: p.tenantId, conversationId: id }, update, args);
}

const StateView = z
  .object({
    conversation: z.object({
      tenantId: z.string(),
      conversationId: z.string(),
      status: z.enum(CONVERSATION_STATUSES),
      owner: z.enum(CONVERSATION_OWNERS),
      assigneeId: z.string().nullable(),
      snoozedUntil: z.string().nullable(),
      pending: z.number(),
      handled: z.number(),
      awaitingApproval: z.array(z.string()).describe('Tool calls waiting for a human approval'),
      followUps: z.number().describe('Follow-ups the agent scheduled and has not sent yet'),
    }),
  })
  .openapi('ConversationState');
const actionResponses = { 200: jsonResponse('New state', StateView), 409: jsonResponse('Refused in the current state', ErrorBody), ...errors };

function actionRoute(path: string, summary: string) {
  return createRoute({ method: 'post', path, tags: ['conversations'], summary, security, request: { params: IdParam }, responses: actionResponses });
}

const ownerActions = [
  { path: '/{id}/take-over', summary: 'Take the conversation over from the AI', update: takeOver },
  { path: '/{id}/hand-back', summary: 'Hand the conversation back to the AI', update: handBack },
  { path: '/{id}/reopen', summary: 'Open a snoozed, resolved or closed conversation again', update: reopen },
];
for (const { path, summary, update } of ownerActions) {
  conversationRoutes.openapi(actionRoute(path, summary), async (c) => {
    const view = await act(c, c.req.valid('param').id, update, { userId: c.get('principal').userId });
    return c.json({ conversation: view }, 200);
  });
}

const AssignBody = z.object({ assigneeId: z.string().uuid().nullable().optional(), teamId: z.string().uuid().nullable().optional() });

conversationRoutes.openapi(
  createRoute({
    ...actionRoute('/{id}/assign', 'Assign the conversation to a user, a team or both; null unassigns'),
    request: { params: IdParam, ...jsonBody(AssignBody) },
    responses: { ...actionResponses, 200: jsonResponse('New state, with the team', z.object({ conversation: StateView.shape.conversation.extend({ teamId: z.string().uuid().nullable() }) })) },
  }),
  async (c) => {
    const { db } = c.get('deps');
    const p = c.get('principal');
    assertCan(p, 'conversations:assign');
    const { assigneeId, teamId } = c.req.valid('json');
    if (assigneeId === undefined && teamId === undefined) {
      throw new AppError('validation_failed', 'give assigneeId, teamId or both', [{ field: 'body', message: 'give assigneeId, teamId or both' }]);
    }
    const id = c.req.valid('param').id;
    await withTenant(db, p.tenantId, async (tx) => {
      await loadConversation(tx, id);
      // Under RLS another workspace's users and teams are simply not found.
      if (assigneeId) {
        const [user] = await tx.select({ id: users.id }).from(users).where(eq(users.id, assigneeId));
        if (!user) throw new AppError('validation_failed', 'assigneeId is not a user of this workspace', [{ field: 'assigneeId', message: 'unknown user' }]);
      }
      if (teamId) {
        const [team] = await tx.select({ id: teams.id }).from(teams).where(eq(teams.id, teamId));
        if (!team) throw new AppError('validation_failed', 'teamId is not a team of this workspace', [{ field: 'teamId', message: 'unknown team' }]);
      }
    });
    const view = await act(c, id, assign, { userId: p.userId, ...(assigneeId !== undefined && { assigneeId }), ...(teamId !== undefined && { teamId }) });
    // The workflow's state has no team; the read model has it once the update has returned.
    const [row] = await withTenant(db, p.tenantId, (tx) => tx.select({ teamId: conversations.teamId }).from(conversations).where(eq(conversations.id, id)));
    return c.json({ conversation: { ...view, teamId: row?.teamId ?? null } }, 200);
  },
);

conversationRoutes.openapi(
  createRoute({
    ...actionRoute('/{id}/snooze', 'Snooze until a time, or until the customer replies (until: null)'),
    request: { params: IdParam, ...jsonBody(z.object({ until: z.string().datetime({ offset: true }).nullable() })) },
  }),
  async (c) => {
    const { until } = c.req.valid('json');
    if (until !== null && Date.parse(until) <= Date.now()) {
      throw new AppError('validation_failed', 'until must be in the future', [{ field: 'until', message: 'must be in the future' }]);
    }
    const userId = c.get('principal').userId;
    const view = await act(c, c.req.valid('param').id, snooze, { userId, until });
    return c.json({ conversation: view }, 200);
  },
);

conversationRoutes.openapi(
  createRoute({
    ...actionRoute('/{id}/close', 'Resolve or close the conversation'),
    request: { params: IdParam, body: { content: { 'application/json': { schema: z.object({ status: z.enum(['resolved', 'closed']).optional() }) } }, required: false } },
  }),
  async (c) => {
    const body = c.req.valid('json') ?? {};
    const userId = c.get('principal').userId;
    const view = await act(c, c.req.valid('param').id, close, { userId, status: body.status });
    return c.json({ conversation: view }, 200);
  },
);

conversationRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/{id}/replies',
    tags: ['conversations'],
    summary: "Reply as an agent; silences the AI on this conversation",
    security,
    request: { params: IdParam, ...jsonBody(z.object({ content: Text(1, 4096) })) },
    responses: { 201: jsonResponse('Reply queued for delivery', z.object({ message: AgentMessageView })), 409: actionResponses[409], ...errors },
  }),
  async (c) => {
    const p = c.get('principal');
    assertCan(p, 'conversations:act');
    const id = c.req.valid('param').id;
    const { content } = c.req.valid('json');
    const message = await sendAgentReply(c.get('deps'), p, id, content);
    return c.json({ message }, 201);
  },
);

const ToolCallView = z
  .object({
    id: z.string().uuid(),
    messageId: z.string().uuid(),
    round: z.number().int(),
    name: z.string(),
    arguments: z.record(z.string(), z.unknown()),
    status: z.enum(TOOL_CALL_STATUSES),
    needsApproval: z.boolean(),
    reason: z.string().nullable(),
    result: z.record(z.string(), z.unknown()).nullable(),
    decidedBy: z.string().uuid().nullable(),
    decidedAt: z.string().nullable(),
    createdAt: z.string(),
    completedAt: z.string().nullable(),
  })
  .openapi('ToolCall');
const CallParams = IdParam.extend({ callId: z.string().uuid().openapi({ param: { name: 'callId', in: 'path' } }) });

conversationRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/{id}/tool-calls',
    tags: ['conversations'],
    summary: 'What the AI agent asked its tools to do here, with approvals and results',
    security,
    request: { params: IdParam },
    responses: { 200: jsonResponse('Tool calls, oldest first', z.object({ toolCalls: z.array(ToolCallView) })), ...errors },
  }),
  async (c) => {
    const p = c.get('principal');
    assertCan(p, 'conversations:read');
    const id = c.req.valid('param').id;
    const rows = await withTenant(c.get('deps').db, p.tenantId, async (tx) => {
      await loadConversation(tx, id);
      return tx.select().from(toolCalls).where(eq(toolCalls.conversationId, id)).orderBy(asc(toolCalls.createdAt), asc(toolCalls.round), asc(toolCalls.ordinal));
    });
    return c.json(
      {
        toolCalls: rows.map((r) => ({
          id: r.id,
          messageId: r.messageId,
          round: r.round,
          name: r.name,
          arguments: r.arguments,
          status: r.status,
          needsApproval: r.needsApproval,
          reason: r.reason,
          result: r.result ?? null,
          decidedBy: r.decidedBy,
          decidedAt: iso(r.decidedAt),
          createdAt: r.createdAt.toISOString(),
          completedAt: iso(r.completedAt),
        })),
      },
      200,
    );
  },
);

for (const verdict of ['approve', 'reject'] as const) {
  conversationRoutes.openapi(
    createRoute({
      method: 'post',
      path: `/{id}/tool-calls/{callId}/${verdict}`,
      tags: ['conversations'],
      summary: verdict === 'approve' ? 'Approve a tool call the AI agent is waiting on; it runs at once' : 'Reject a tool call the AI agent is waiting on',
      security,
      request: { params: CallParams },
      responses: actionResponses,
    }),
    async (c) => {
      const p = c.get('principal');
      assertCan(p, 'tools:approve');
      const { id, callId } = c.req.valid('param');
      const view = await act(c, id, decideToolCall, { userId: p.userId, callId, approve: verdict === 'approve' });
      return c.json({ conversation: view }, 200);
    },
  );
}
