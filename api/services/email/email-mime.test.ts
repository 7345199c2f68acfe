import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { describe, expect, it } from 'vitest';
import { InvalidEmail, conversationText, parseEmail, threadIdsOf } from './email-mime.js';

const mime = (mail: ConstructorParameters<typeof MailComposer>[0]) => new MailComposer(mail).compile().build();

describe('parsing inbound email', () => {
  it('keeps the sender, subject, thread ids and text', async () => {
    const raw = await mime({
      from: { name: 'Ana Lima', address: 'Ana.Lima@Example.COM' },
      to: 'support@shop.example',
      subject: 'Re: Where is my order?',
      text: 'It has not arrived.\r\n\r\n\r\n\r\nThanks',
      messageId: '<reply-1@mail.example.com>',
      inReplyTo: '<0100abc-def-000000@email.amazonses.com>',
      references: ['<first@mail.example.com>', '<0100abc-def-000000@email.amazonses.com>'],
    });
    const e = await parseEmail(raw);
    expect(e).toMatchObject({
      from: { address: 'ana.lima@example.com', name: 'Ana Lima' },
      subject: 'Re: Where is my order?',
      text: 'It has not arrived.\n\nThanks',
      messageId: '<reply-1@mail.example.com>',
      inReplyTo: '<0100abc-def-000000@email.amazonses.com>',
      references: ['<first@mail.example.com>', '<0100abc-def-000000@email.amazonses.com>'],
    });
    expect(threadIdsOf(e)).toEqual(['<first@mail.example.com>', '<0100abc-def-000000@email.amazonses.com>', '0100abc-def-000000']);
  });

  it('turns HTML-only mail into readable text and keeps attachment metadata only', async () => {
    const raw = await mime({
      from: 'bo@example.com',
      subject: 'Photo',
      html: '<html><body><p>Hello <b>team</b>,</p><p>the <a href="https://x.example">zip</a> is broken.</p><script>alert(1)</script></body></html>',
      attachments: [{ filename: 'zip.jpg', content: Buffer.alloc(1234, 1), contentType: 'image/jpeg' }],
    });
    const e = await parseEmail(raw);
    expect(e.text).toContain('Hello team,');
    expect(e.text).toContain('is broken.');
    expect(e.text).not.toMatch(/<p>|<b>|alert/);
    expect(e.attachments).toEqual([{ filename: 'zip.jpg', contentType: 'image/jpeg', size: 1234 }]);
  });

  it('names the field of mail it cannot use', async () => {
    await expect(parseEmail(Buffer.alloc(0))).rejects.toMatchObject({ field: 'body' });
    await expect(parseEmail(Buffer.from('Subject: no sender\r\n\r\nhello'))).rejects.toBeInstanceOf(InvalidEmail);
    await expect(parseEmail(Buffer.from('From: not-an-address\r\n\r\nhello'))).rejects.toMatchObject({ field: 'from' });
    await expect(parseEmail(Buffer.from([0xff, 0xfe, 0x00, 0x13, 0x37]))).rejects.toMatchObject({ field: 'from' });
  });

  it('never leaves a conversation message empty', () => {
    expect(conversationText({ text: '', subject: 'Hi', attachments: [{ filename: 'a.pdf', contentType: 'application/pdf', size: 1 }] })).toBe('[attachment: a.pdf]');
    expect(conversationText({ text: '', subject: 'Only a subject', attachments: [] })).toBe('Only a subject');
    expect(conversationText({ text: '', subject: null, attachments: [] })).toBe('(empty email)');
  });

  it('drops ids that are not Message-IDs and recognises regional SES ids', () => {
    expect(threadIdsOf({ inReplyTo: '<x-1@eu-west-1.amazonses.com>', references: ['<x-1@eu-west-1.amazonses.com>'] })).toEqual(['<x-1@eu-west-1.amazonses.com>', 'x-1']);
    expect(threadIdsOf({ inReplyTo: '<a@evil.amazonses.com.example>', references: [] })).toEqual(['<a@evil.amazonses.com.example>']);
  });
});
