import { z } from 'zod';

const File = z.object({
  file_id: z.string().min(1).max(256),
  file_unique_id: z.string().max(256).optional(),
  file_size: z.number().int().nonnegative().optional(),
  mime_type: z.string().max(255).optional(),
  file_name: z.string().max(1024).optional(),
});

const Message = z.object({
  message_id: z.number().int(),
  from: z.object({ id: z.number().int(), is_bot: z.boolean(), first_name: z.string().max(256), last_name: z.string().max(256).optional(), username: z.string().max(64).optional() }).optional(),
  chat: z.object({ id: z.number().int(), type: z.enum(['private', 'group', 'supergroup', 'channel']) }),
  date: z.number().int(),
  text: z.string().max(20_000).optional(),
  caption: z.string().max(20_000).optional(),
  photo: z.array(File).max(20).optional(),
  document: File.optional(),
  voice: File.optional(),
  audio: File.optional(),
  video: File.optional(),
});

/** A Bot API `Update`. Kinds other than messages (callback queries, member changes, …) parse and are skipped. */
export const TelegramUpdate = z.object({
  update_id: z.number().int(),
  message: Message.optional(),
  edited_message: Message.optional(),
});
export type TelegramUpdate = z.infer<typeof TelegramUpdate>;

export interface TelegramFile {
  kind: 'photo' | 'document' | 'voice' | 'audio' | 'video';
  fileId: string;
  fileUniqueId?: string;
}

export interface TelegramInbound {
  chatId: string;
  /** Unique only within its chat and bot: see telegramMessageKey. */
  messageId: number;
  name: string | null;
  username: string | null;
  text: string;
  attachments: Array<{ contentType: string; filename?: string; size?: number }>;
  /** The Bot API's file ids (getFile), index for index with `attachments`. */
  files: TelegramFile[];
  sentAt: number;
}

// Without a mime_type Telegram still says what kind of file it is: photos are always JPEG.
const DEFAULT_TYPES: Record<TelegramFile['kind'], string> = { photo: 'image/jpeg', document: 'application/octet-stream', voice: 'audio/ogg', audio: 'audio/mpeg', video: 'video/mp4' };

/**
 * The customer message in an update, or why there is none. Only new messages in private chats with
 * a person are conversations: a group's id is not a person (one "contact" would speak for all its
 * members, and the AI would answer every line of the group), other bots are not customers, and an
 * edit of a message already answered is not a new question (storing it would answer it twice).
 */
export function telegramInbound(update: TelegramUpdate): TelegramInbound | { ignored: string } {
  if (!update.message) return { ignored: update.edited_message ? 'edited message' : 'not a message' };
  const m = update.message;
  if (m.chat.type !== 'private') return { ignored: `${m.chat.type} chat` };
  if (m.from?.is_bot) return { ignored: 'sent by a bot' };
  const files: TelegramFile[] = [];
  const attachments: TelegramInbound['attachments'] = [];
  const add = (kind: TelegramFile['kind'], f: z.infer<typeof File>) => {
    files.push({ kind, fileId: f.file_id, ...(f.file_unique_id && { fileUniqueId: f.file_unique_id }) });
    attachments.push({ contentType: f.mime_type ?? DEFAULT_TYPES[kind], ...(f.file_name && { filename: f.file_name }), ...(f.file_size !== undefined && { size: f.file_size }) });
  };
  // A photo arrives in several sizes, smallest first: the largest is the photo.
  if (m.photo?.length) add('photo', m.photo[m.photo.length - 1]);
  for (const kind of ['document', 'voice', 'audio', 'video'] as const) {
    const f = m[kind];
    if (f) add(kind, f);
  }
  const text = (m.text ?? m.caption ?? '').replace(/\u0000/g, '').trim() || files.map((f) => `[${f.kind}]`).join(' ');
  if (!text) return { ignored: 'nothing to read (sticker, location, service message)' };
  const name = [m.from?.first_name, m.from?.last_name].filter(Boolean).join(' ').trim() || null;
  return {
    chatId: String(m.chat.id),
    messageId: m.message_id,
    name,
    username: m.from?.username ?? null,
    text,
    attachments,
    files,
    sentAt: m.date,
  };
}
