import { describe, expect, it } from 'vitest';
import { templateVariables, whatsappWindowOpen, WHATSAPP_WINDOW_MS } from './whatsapp-window.js';

describe('the WhatsApp 24-hour window', () => {
  const now = new Date('2026-03-01T12:00:00Z');
  it('is open only within 24 hours of the customer’s last message', () => {
    expect(whatsappWindowOpen(new Date(now.getTime() - 60_000), now)).toBe(true);
    expect(whatsappWindowOpen(new Date(now.getTime() - WHATSAPP_WINDOW_MS + 1), now)).toBe(true);
    expect(whatsappWindowOpen(new Date(now.getTime() - WHATSAPP_WINDOW_MS), now)).toBe(false);
    expect(whatsappWindowOpen(new Date(now.getTime() - 3 * WHATSAPP_WINDOW_MS), now)).toBe(false);
  });

  it('is closed when the customer never wrote', () => {
    expect(whatsappWindowOpen(null, now)).toBe(false);
  });
});

describe('template variables', () => {
  it('fills the message and the name, and never leaves a variable empty', () => {
    const template = { contentSid: `HX${'a'.repeat(32)}`, variables: { '1': 'Hi {{contact.name}}', '2': '{{message}}', '3': 'fixed' } };
    expect(JSON.parse(templateVariables(template, { message: 'Your order shipped', contactName: 'Ana' }))).toEqual({ '1': 'Hi Ana', '2': 'Your order shipped', '3': 'fixed' });
    expect(JSON.parse(templateVariables(template, { message: '  ' }))).toEqual({ '1': 'Hi there', '2': '-', '3': 'fixed' });
  });
});
