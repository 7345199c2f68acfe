import { describe, expect, it } from 'vitest';
import { parseSesNotification } from './ses-notifications.js';

const mail = { messageId: '0100abc-000000', source: 'a@example.com', destination: ['b@example.com'] };

describe('reading SES notifications', () => {
  it('reads received mail, bounces, complaints and deliveries, in both notification and event form', () => {
    expect(parseSesNotification(JSON.stringify({ notificationType: 'Received', mail, receipt: { action: { type: 'SNS', encoding: 'UTF8' } }, content: 'From: a@example.com\r\n\r\nhi' }))).toMatchObject({ type: 'Received' });
    expect(
      parseSesNotification(JSON.stringify({ eventType: 'Bounce', mail, bounce: { bounceType: 'Permanent', bouncedRecipients: [{ emailAddress: 'b@example.com' }] } })),
    ).toMatchObject({ type: 'Bounce', bounce: { bounceType: 'Permanent' } });
    expect(parseSesNotification(JSON.stringify({ notificationType: 'Complaint', mail, complaint: { complainedRecipients: [{ emailAddress: 'b@example.com' }] } }))).toMatchObject({ type: 'Complaint' });
    expect(parseSesNotification(JSON.stringify({ notificationType: 'Delivery', mail, delivery: {} }))).toMatchObject({ type: 'Delivery' });
    expect(parseSesNotification(JSON.stringify({ eventType: 'Open', mail }))).toEqual({ ignored: 'Open notifications are not used' });
  });

  it('names the bad field of a malformed notification', () => {
    const cases: Array<[string, string]> = [
      ['not json', 'Message'],
      ['{"hello":1}', 'Message.notificationType'],
      [JSON.stringify({ notificationType: 'Received', mail, receipt: { action: { type: 'S3' } } }), 'Message.content'],
      [JSON.stringify({ notificationType: 'Received', receipt: { action: { type: 'SNS' } }, content: 'x' }), 'Message.mail'],
      [JSON.stringify({ notificationType: 'Bounce', mail, bounce: { bounceType: 'Permanent', bouncedRecipients: [] } }), 'Message.bounce.bouncedRecipients'],
    ];
    for (const [message, field] of cases) {
      expect(() => parseSesNotification(message), message).toThrow(expect.objectContaining({ field }));
    }
  });
});
