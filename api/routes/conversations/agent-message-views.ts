import { z } from '@hono/zod-openapi';
import { and, desc, eq, isNotNull, ne } from 'drizzle-orm';
import type { Tx } from '../../../db/client.js';
import { messages, users } from '../../../db/schema/index.js';
import { MessageView, toMessageView } from './views.js';

/**
 * A message as agents see it: the customer-safe `Message` plus what only the inbox shows (the AI's
 * triage, its sources, delivery errors). The widget keeps the plain `Message`.
 */
export const AgentMessageView = MessageView.extend({
  channel: z.string(),
  author: z.object({ id: z.string().uuid(), name: z.string() }).nullable().describe('The agent who wrote it; null for customers, the AI and the system'),
  attributes: z.record(z.string(), z.unknown()).nullable().describe('Inbound: the triage (intent, priority, sentiment, urgency, language, …)'),
  citations: z.array(z.object({ documentId: z.string(), title: z.string(), chunkId: z.string() })).nullable(),
  attachments: z.array(z.object({ url: z.string().optional(), contentType: z.string(), filename: z.string().optional(), size: z.number().optional() })).nullable(),
  error: z.string().nullable(),
  purpose: z.enum(['service', 'marketing']),
  routing: z
    .object({ to: z.enum(['automation', 'ai', 'human']), runIds: z.array(z.string()).optional(), resumedRunIds: z.array(z.string()).optional() })
    .nullable()
    .describe('Inbound: who it was routed to; automation runs it started (runIds) or resumed (resumedRunIds)'),
  automation: z.object({ runId: z.string(), nodeId: z.string() }).nullable().describe('Outbound: the automation run step that sent it'),
}).openapi('AgentMessage');

export type AgentMessage = z.infer<typeof AgentMessageView>;

export function toAgentMessageView(m: typeof messages.$inferSelect, authorName: string | null): AgentMessage {
  return {
    ...toMessageView(m),
    channel: m.channel,
    author: m.authorUserId && authorName !== null ? { id: m.authorUserId, name: authorName } : null,
    attributes: m.attributes ?? null,
    citations: m.citations ?? null,
    attachments: m.attachments ?? null,
    error: m.error,
    purpose: m.purpose,
    routing: m.routing ?? null,
    automation: automationOf(m.metadata),
  };
}

function automationOf(metadata: Record<string, unknown> | null): { runId: string; nodeId: string } | null {
  const a = metadata?.automation as { runId?: unknown; nodeId?: unknown } | undefined;
  return a && typeof a.runId === 'string' && typeof a.nodeId === 'string' ? { runId: a.runId, nodeId: a.nodeId } : null;
}

/** Every message an agent may see (nothing discarded), oldest first. */
export async function listAgentMessages(tx: Tx, conversationId: string): Promise<AgentMessage[]> {
  const rows = await tx
    .select({ message: messages, authorName: users.name })
    .from(messages)
    .leftJoin(users, eq(users.id, messages.authorUserId))
    .where(and(eq(messages.conversationId, conversationId), ne(messages.deliveryStatus, 'discarded')))
    .orderBy(messages.createdAt, messages.id)
    .limit(1000);
  return rows.map((r) => toAgentMessageView(r.message, r.authorName));
}

export const TriageView = z
  .object({
    messageId: z.string().uuid(),
    detectedAt: z.string(),
    intent: z.string().nullable(),
    sentiment: z.string().nullable(),
    urgency: z.string().nullable(),
    priority: z.string().nullable(),
    language: z.string().nullable(),
    confidence: z.number().nullable(),
    custom: z.record(z.string(), z.unknown()).describe("The tenant's own attributes the AI detected"),
  })
  .openapi('Triage');

const str = (v: unknown) => (typeof v === 'string' ? v : null);

/** What the AI detected on the latest inbound message it triaged; null before it has triaged any. */
export async function latestTriage(tx: Tx, conversationId: string): Promise<z.infer<typeof TriageView> | null> {
  const [row] = await tx
    .select({ id: messages.id, attributes: messages.attributes, createdAt: messages.createdAt })
    .from(messages)
    .where(and(eq(messages.conversationId, conversationId), eq(messages.direction, 'inbound'), isNotNull(messages.attributes)))
    .orderBy(desc(messages.createdAt))
    .limit(1);
  if (!row?.attributes) return null;
  const a = row.attributes;
  return {
    messageId: row.id,
    detectedAt: row.createdAt.toISOString(),
    intent: str(a.intent),
    sentiment: str(a.sentiment),
    urgency: str(a.urgency),
    priority: str(a.priority),
    language: str(a.language),
    confidence: typeof a.confidence === 'number' ? a.confidence : null,
    custom: a.custom && typeof a.custom === 'object' ? (a.custom as Record<string, unknown>) : {},
  };
}

/** WhatsApp lets a business reply freely only within 24 hours of the customer's last message. */
const WHATSAPP_WINDOW_MS = 24 * 60 * 60 * 1000;

export function whatsappWindow(channel: string, lastInboundAt: string | null, now = Date.now()) {
  if (channel !== 'whatsapp') return null;
  if (!lastInboundAt) return { open: false, closesAt: null };
  const closesAt = Date.parse(lastInboundAt) + WHATSAPP_WINDOW_MS;
  return { open: closesAt > now, closesAt: new Date(closesAt).toISOString() };
}
