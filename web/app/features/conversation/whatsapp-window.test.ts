import { describe, expect, it } from 'vitest';
import { whatsappWindow } from './whatsapp-window';

const NOW = Date.parse('2026-11-22T12:00:00Z');

describe('whatsappWindow', () => {
  it('is open for 24 hours after the customer last wrote', () => {
    expect(whatsappWindow({ channel: 'whatsapp', lastInboundAt: '2026-11-21T13:00:00Z' }, NOW)).toEqual({ open: true, closesAt: '2026-11-22T13:00:00.000Z' });
  });

  it('is closed once 24 hours have passed, or when the customer never wrote', () => {
    expect(whatsappWindow({ channel: 'whatsapp', lastInboundAt: '2026-11-21T11:59:00Z' }, NOW)).toEqual({ open: false, closesAt: '2026-11-22T11:59:00.000Z' });
    expect(whatsappWindow({ channel: 'whatsapp', lastInboundAt: null }, NOW)).toEqual({ open: false, closesAt: null });
  });

  it("prefers the API's own answer", () => {
    const window = { open: false, closesAt: '2026-11-22T08:00:00.000Z' };
    expect(whatsappWindow({ channel: 'whatsapp', lastInboundAt: '2026-11-22T11:00:00Z', whatsappWindow: window }, NOW)).toBe(window);
  });

  it('does not apply to other channels', () => {
    expect(whatsappWindow({ channel: 'sms', lastInboundAt: '2026-11-01T00:00:00Z' }, NOW)).toBeNull();
    expect(whatsappWindow({ channel: 'email', lastInboundAt: null, whatsappWindow: null }, NOW)).toBeNull();
  });
});
