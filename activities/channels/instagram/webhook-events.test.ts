import { describe, expect, it } from 'vitest';
import { InstagramWebhook, instagramEvents } from './webhook-events.js';

const IG = '17841400000000001';
const event = (e: Record<string, unknown>) => ({ sender: { id: '900001' }, recipient: { id: IG }, timestamp: 1700000000000, ...e });
const parse = (messaging: unknown[]) => InstagramWebhook.parse({ object: 'instagram', entry: [{ id: IG, time: 1, messaging }] });

describe('instagramEvents', () => {
  it('reads text, attachments and read receipts, and skips echoes, the account itself, deletions and unknown kinds', () => {
    const events = instagramEvents(
      parse([
        event({ message: { mid: 'm1', text: 'Hi there' } }),
        event({ message: { mid: 'm2', attachments: [{ type: 'image', payload: { url: 'https://cdn.example/x.jpg' } }] } }),
        event({ message: { mid: 'm3', text: 'echo', is_echo: true } }),
        { sender: { id: IG }, recipient: { id: '900001' }, message: { mid: 'm4', text: 'sent by us from the app' } },
        event({ message: { mid: 'm5', is_deleted: true } }),
        event({ reaction: { mid: 'm1', action: 'react', reaction: 'love' } }),
        event({ read: { mid: 'out-1' } }),
      ]),
      IG,
    );
    expect(events).toEqual([
      { kind: 'message', senderId: '900001', mid: 'm1', text: 'Hi there', attachments: [], attachmentTypes: [], sentAt: 1700000000000 },
      { kind: 'message', senderId: '900001', mid: 'm2', text: '[image]', attachments: [{ url: 'https://cdn.example/x.jpg', contentType: 'image/*' }], attachmentTypes: ['image'], sentAt: 1700000000000 },
      { kind: 'read', readerId: '900001', mid: 'out-1' },
    ]);
  });

  it("skips entries for another Instagram account served by the same Meta app", () => {
    const body = InstagramWebhook.parse({ object: 'instagram', entry: [{ id: '17841499999999999', messaging: [event({ recipient: { id: '17841499999999999' }, message: { mid: 'm9', text: 'not ours' } })] }] });
    expect(instagramEvents(body, IG)).toEqual([]);
  });

  it('names the field that is wrong', () => {
    const bad = InstagramWebhook.safeParse({ object: 'instagram', entry: [{ id: IG, messaging: [{ sender: {}, recipient: { id: IG } }] }] });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues.map((i) => i.path.join('.'))).toEqual(['entry.0.messaging.0.sender.id']);
    expect(InstagramWebhook.safeParse({ object: 'page', entry: [] }).error!.issues[0].path).toEqual(['object']);
  });
});
