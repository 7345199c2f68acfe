import { describe, expect, it } from 'vitest';
import { TelegramUpdate, telegramInbound } from './telegram-updates.js';

const from = { id: 5550001, is_bot: false, first_name: 'Ana', last_name: 'Silva', username: 'anas' };
const update = (message: Record<string, unknown>, key = 'message') =>
  TelegramUpdate.parse({ update_id: 1000, [key]: { message_id: 7, from, chat: { id: 5550001, type: 'private' }, date: 1700000000, ...message } });

describe('telegramInbound', () => {
  it('reads a private text message', () => {
    expect(telegramInbound(update({ text: ' Where is my order? ' }))).toEqual({
      chatId: '5550001', messageId: 7, name: 'Ana Silva', username: 'anas', text: 'Where is my order?', attachments: [], files: [], sentAt: 1700000000,
    });
  });

  it('keeps the largest photo, documents and voice notes as attachments, with the caption as text', () => {
    const r = telegramInbound(
      update({
        caption: 'the damage',
        photo: [{ file_id: 'small', file_unique_id: 's', width: 90, height: 90, file_size: 1200 }, { file_id: 'big', file_unique_id: 'b', width: 1280, height: 1280, file_size: 98000 }],
        document: { file_id: 'doc', file_unique_id: 'd', file_name: 'receipt.pdf', mime_type: 'application/pdf', file_size: 4000 },
      }),
    );
    expect(r).toMatchObject({
      text: 'the damage',
      attachments: [{ contentType: 'image/jpeg', size: 98000 }, { contentType: 'application/pdf', filename: 'receipt.pdf', size: 4000 }],
      files: [{ kind: 'photo', fileId: 'big', fileUniqueId: 'b' }, { kind: 'document', fileId: 'doc', fileUniqueId: 'd' }],
    });
    expect(telegramInbound(update({ voice: { file_id: 'v', duration: 3, mime_type: 'audio/ogg', file_size: 5000 } }))).toMatchObject({ text: '[voice]', attachments: [{ contentType: 'audio/ogg', size: 5000 }] });
  });

  it('ignores edits, groups, channels, bots and messages with nothing to read', () => {
    expect(telegramInbound(update({ text: 'edited' }, 'edited_message'))).toEqual({ ignored: 'edited message' });
    expect(telegramInbound(update({ text: 'hi all', chat: { id: -100123, type: 'supergroup' } }))).toEqual({ ignored: 'supergroup chat' });
    expect(telegramInbound(update({ text: 'news', chat: { id: -100999, type: 'channel' } }))).toEqual({ ignored: 'channel chat' });
    expect(telegramInbound(update({ text: 'beep', from: { ...from, is_bot: true } }))).toEqual({ ignored: 'sent by a bot' });
    expect(telegramInbound(update({}))).toHaveProperty('ignored');
    expect(telegramInbound(TelegramUpdate.parse({ update_id: 5, callback_query: { id: 'x' } }))).toEqual({ ignored: 'not a message' });
  });

  it('names the field that is wrong', () => {
    const bad = TelegramUpdate.safeParse({ update_id: 1, message: { message_id: 'seven', chat: { id: 1, type: 'private' }, date: 1 } });
    expect(bad.error!.issues.map((i) => i.path.join('.'))).toEqual(['message.message_id']);
    expect(TelegramUpdate.safeParse({ message: {} }).error!.issues.map((i) => i.path.join('.'))).toContain('update_id');
  });
});
