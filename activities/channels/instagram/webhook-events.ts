import { z } from 'zod';

const Id = z.string().regex(/^\d{1,40}$/, 'must be a numeric id');
const Mid = z.string().min(1).max(512);

const Attachment = z.object({
  type: z.string().max(64),
  payload: z.object({ url: z.string().max(4096).optional(), title: z.string().max(1000).optional() }).nullish(),
});

/** One `entry[].messaging[]` item. Unknown event kinds (reactions, postbacks, referrals) parse and are skipped. */
const MessagingEvent = z.object({
  sender: z.object({ id: Id }),
  recipient: z.object({ id: Id }),
  timestamp: z.number().optional(),
  message: z
    .object({
      mid: Mid,
      text: z.string().max(20_000).optional(),
      attachments: z.array(Attachment).max(50).optional(),
      is_echo: z.boolean().optional(),
      is_deleted: z.boolean().optional(),
      is_unsupported: z.boolean().optional(),
    })
    .optional(),
  read: z.object({ mid: Mid }).optional(),
});

/** Instagram's webhook body (Instagram API with Instagram Login, and Messenger-style `messaging`). */
export const InstagramWebhook = z.object({
  object: z.literal('instagram'),
  entry: z
    .array(
      z.object({
        id: z.string().max(40),
        time: z.number().optional(),
        // Comment and mention notifications arrive as `changes` instead: not DMs, not ours.
        messaging: z.array(MessagingEvent).max(1000).default([]),
      }),
    )
    .max(1000),
});
export type InstagramWebhook = z.infer<typeof InstagramWebhook>;

export interface InstagramAttachment {
  url?: string;
  contentType: string;
  filename?: string;
}

export type InstagramEvent =
  | { kind: 'message'; senderId: string; mid: string; text: string; attachments: InstagramAttachment[]; sentAt?: number; attachmentTypes: string[] }
  | { kind: 'read'; readerId: string; mid: string };

// Instagram names a kind of media, not a MIME type; these say as much as is known.
const CONTENT_TYPES: Record<string, string> = { image: 'image/*', video: 'video/*', audio: 'audio/*', file: 'application/octet-stream' };

const clean = (s: string) => s.replace(/\u0000/g, '');

/**
 * The DMs and read receipts in a delivery. Skipped: entries for another Instagram account (a Meta
 * app has one callback URL for all the accounts it serves; this connection speaks for one), echoes
 * of the account's own sends (`is_echo`, or a sender that is the account itself, which Meta also
 * delivers), deletions and unsupported messages, which carry nothing to answer.
 */
export function instagramEvents(body: InstagramWebhook, igUserId: string): InstagramEvent[] {
  const events: InstagramEvent[] = [];
  for (const entry of body.entry) {
    if (entry.id !== igUserId) continue;
    for (const e of entry.messaging) {
      if (e.sender.id === igUserId) continue;
      if (e.message) {
        const m = e.message;
        if (m.is_echo || m.is_deleted || m.is_unsupported) continue;
        const attachments = (m.attachments ?? []).map((a) => ({
          ...(a.payload?.url && { url: a.payload.url }),
          contentType: CONTENT_TYPES[a.type] ?? `application/x-instagram-${a.type.replace(/[^\w-]/g, '')}`,
          ...(a.payload?.title && { filename: a.payload.title }),
        }));
        const attachmentTypes = (m.attachments ?? []).map((a) => a.type);
        const text = clean(m.text ?? '').trim() || attachmentTypes.map((t) => `[${t}]`).join(' ');
        if (!text) continue;
        events.push({ kind: 'message', senderId: e.sender.id, mid: m.mid, text, attachments, attachmentTypes, ...(e.timestamp && { sentAt: e.timestamp }) });
      } else if (e.read) {
        events.push({ kind: 'read', readerId: e.sender.id, mid: e.read.mid });
      }
    }
  }
  return events;
}
