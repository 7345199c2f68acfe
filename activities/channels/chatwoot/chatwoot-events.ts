import { z } from 'zod';

/**
 * The parts of Chatwoot's webhook payloads the bridge reads (Chatwoot's `webhook_data`: the
 * conversation's `id` is its display id, the one its REST API takes). Everything else is ignored.
 * Ids arrive as numbers, and as digit strings in some older payloads.
 */
const Id = z.union([z.number().int().nonnegative(), z.string().regex(/^\d{1,18}$/, 'must be a numeric id')]).transform(String);

// Chatwoot's message_type enum, in its string form (webhooks) and its integer form (some API answers).
const MESSAGE_TYPES = ['incoming', 'outgoing', 'activity', 'template'] as const;
const MessageType = z.union([z.enum(MESSAGE_TYPES), z.number().int().min(0).max(3).transform((n) => MESSAGE_TYPES[n])]);

const STATUSES = ['open', 'resolved', 'pending', 'snoozed'] as const;
export type ChatwootStatus = (typeof STATUSES)[number];

const Assignee = z.object({ id: Id, name: z.string().nullish(), type: z.string().nullish() }).passthrough().nullish();

const Conversation = z
  .object({
    id: Id,
    status: z.enum(STATUSES).optional(),
    inbox_id: Id.optional(),
    meta: z.object({ assignee: Assignee }).passthrough().optional(),
  })
  .passthrough();

const Attachment = z.object({ file_type: z.string().max(40).optional(), data_url: z.string().url().max(4096).optional(), file_size: z.number().int().nonnegative().optional() }).passthrough();

export const MessageCreated = z.object({
  event: z.literal('message_created'),
  id: Id,
  content: z.string().max(100_000).nullish(),
  message_type: MessageType,
  private: z.boolean().default(false),
  sender: z
    .object({
      id: Id,
      name: z.string().max(255).nullish(),
      email: z.string().max(320).nullish(),
      phone_number: z.string().max(40).nullish(),
      /** contact (the customer), user (a Chatwoot agent) or agent_bot. */
      type: z.string().max(40).optional(),
    })
    .passthrough()
    .nullish(),
  conversation: Conversation,
  account: z.object({ id: Id }).passthrough(),
  inbox: z.object({ id: Id }).passthrough().optional(),
  attachments: z.array(Attachment).max(20).optional(),
});
export type MessageCreated = z.infer<typeof MessageCreated>;

/** The conversation itself is the payload, with `event` beside its fields. */
export const StatusChanged = Conversation.extend({ event: z.literal('conversation_status_changed'), status: z.enum(STATUSES) });
export type StatusChanged = z.infer<typeof StatusChanged>;

export type ChatwootEvent =
  | { kind: 'customer_message'; message: MessageCreated }
  | { kind: 'agent_message'; message: MessageCreated }
  | { kind: 'status_changed'; conversation: StatusChanged }
  | { kind: 'ignored'; reason: string };

export type Parsed = { ok: true; event: ChatwootEvent } | { ok: false; fields: Array<{ field: string; message: string }> };

const issues = (e: z.ZodError) => e.issues.map((i) => ({ field: i.path.map(String).join('.') || 'body', message: i.message }));

/**
 * Sorts a delivery into what the bridge does with it. Only a public message from a contact is the
 * customer speaking; every outgoing message (our own AI replies included, so nothing echoes back),
 * private note, activity line and template is kept out of the conversation.
 */
export function classifyChatwootEvent(body: unknown): Parsed {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { ok: false, fields: [{ field: 'body', message: 'must be a JSON object' }] };
  const event = (body as { event?: unknown }).event;
  if (typeof event !== 'string') return { ok: false, fields: [{ field: 'event', message: 'is required' }] };
  if (event === 'conversation_status_changed') {
    const parsed = StatusChanged.safeParse(body);
    return parsed.success ? { ok: true, event: { kind: 'status_changed', conversation: parsed.data } } : { ok: false, fields: issues(parsed.error) };
  }
  // Chatwoot sends many other events to a webhook subscribed to them; acknowledging keeps it from retrying.
  if (event !== 'message_created') return { ok: true, event: { kind: 'ignored', reason: `event ${event.slice(0, 60)} is not used` } };
  const parsed = MessageCreated.safeParse(body);
  if (!parsed.success) return { ok: false, fields: issues(parsed.error) };
  const m = parsed.data;
  if (m.private) return { ok: true, event: { kind: 'ignored', reason: 'private note' } };
  if (m.message_type === 'outgoing' && m.sender?.type === 'user') return { ok: true, event: { kind: 'agent_message', message: m } };
  if (m.message_type !== 'incoming') return { ok: true, event: { kind: 'ignored', reason: `${m.message_type} message` } };
  if (!m.sender || (m.sender.type !== undefined && m.sender.type !== 'contact')) return { ok: true, event: { kind: 'ignored', reason: 'not sent by a contact' } };
  if (!m.content?.trim() && !m.attachments?.length) return { ok: true, event: { kind: 'ignored', reason: 'empty message' } };
  return { ok: true, event: { kind: 'customer_message', message: m } };
}
