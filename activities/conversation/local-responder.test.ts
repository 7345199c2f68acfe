import { describe, expect, it } from 'vitest';
import { localReply } from './local-responder.js';

describe('localReply', () => {
  it('hands over when the customer asks for a person', () => {
    expect(localReply('Can I talk to a human please?', 'Acme')).toMatchObject({ handoff: true });
    expect(localReply('I want a real person', 'Acme').handoff).toBe(true);
  });

  it('greets by business name without claiming to be an LLM', () => {
    const r = localReply('Hello!', 'Northwind');
    expect(r.handoff).toBe(false);
    expect(r.content).toContain('Northwind');
    expect(r.content).toMatch(/automated assistant/);
  });

  it('acknowledges other questions honestly and offers a human', () => {
    const r = localReply('Where is my order 1234?', 'Acme');
    expect(r.handoff).toBe(false);
    expect(r.content).toMatch(/teammate/);
  });
});
