import { describe, expect, it } from 'vitest';
import { replySubject, threadHeaders } from './ses-mime.js';
import { sesMessageIdHeader } from './ses-sender.js';

describe('composing an email reply', () => {
  it('answers under the thread subject without stacking Re:', () => {
    expect(replySubject({ metadata: null, thread: { subject: 'Where is my order?' } })).toBe('Re: Where is my order?');
    expect(replySubject({ metadata: null, thread: { subject: 'RE: Where is my order?' } })).toBe('RE: Where is my order?');
    expect(replySubject({ metadata: { subject: 'Your refund' }, thread: { subject: 'x' } })).toBe('Your refund');
    expect(replySubject({ metadata: null, thread: null }, 'Northwind')).toBe('A message from Northwind');
  });

  it("continues the customer's References chain and answers their latest Message-ID", () => {
    expect(threadHeaders({ messageId: '<b@x>', references: ['<a@x>'] })).toEqual({ inReplyTo: '<b@x>', references: ['<a@x>', '<b@x>'] });
    expect(threadHeaders({ messageId: '<a@x>', references: null })).toEqual({ inReplyTo: '<a@x>', references: ['<a@x>'] });
    expect(threadHeaders({ messageId: null })).toEqual({});
    expect(threadHeaders({ messageId: '<z@x>', references: Array.from({ length: 30 }, (_, i) => `<r${i}@x>`) }).references).toHaveLength(10);
  });

  it("writes SES's Message-ID the way SES does per region", () => {
    expect(sesMessageIdHeader('0100-abc', 'us-east-1')).toBe('<0100-abc@email.amazonses.com>');
    expect(sesMessageIdHeader('0100-abc', 'eu-west-1')).toBe('<0100-abc@eu-west-1.amazonses.com>');
  });
});
