import { describe, expect, it } from 'vitest';
import { AgentConfigSchema } from './config/agent-config.js';
import { matchEscalation } from './escalation.js';
import { applyGuardrails } from './guardrails.js';

describe('agent configuration', () => {
  it('fills defaults and refuses unknown attributes, bad regexes and empty rules, naming the path', () => {
    expect(AgentConfigSchema.parse({}).tools.requireApproval).toContain('issue_refund');
    const bad = AgentConfigSchema.safeParse({
      guardrails: [{ id: 'g', stage: 'input', kind: 'regex', pattern: '([', action: 'block' }],
      escalation: [{ id: 'e', any: [{ attribute: 'mood', op: 'eq', value: 'x' }] }, { id: 'empty' }],
    });
    expect(bad.success).toBe(false);
    const paths = bad.error!.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['guardrails.0.pattern', 'escalation.0.attribute', 'escalation.1']));
  });
});

describe('guardrails', () => {
  const config = AgentConfigSchema.parse({
    guardrails: [
      { id: 'cards', stage: 'input', kind: 'regex', pattern: '\\b\\d(?:[ -]?\\d){12,15}\\b', action: 'redact' },
      { id: 'competitors', stage: 'output', kind: 'keyword', keywords: ['Acme Outdoor'], action: 'redact' },
      { id: 'no-jobs', stage: 'input', kind: 'intent', intents: ['job_application'], action: 'block', reply: 'Please apply on our careers page.' },
      { id: 'abuse', stage: 'input', kind: 'keyword', keywords: ['idiot'], action: 'block' },
    ],
  });

  it('redacts, blocks by keyword and by detected intent, each at its own stage', () => {
    expect(applyGuardrails(config, 'input', 'my card is 4111 1111 1111 1111 ok').text).toBe('my card is [redacted] ok');
    expect(applyGuardrails(config, 'output', 'Unlike Acme Outdoor, we ship free').text).toBe('Unlike [redacted], we ship free');
    expect(applyGuardrails(config, 'input', 'you idiot').blocked?.id).toBe('abuse');
    expect(applyGuardrails(config, 'input', 'I want to work for you', 'job_application').blocked).toEqual({ id: 'no-jobs', reply: 'Please apply on our careers page.' });
    expect(applyGuardrails(config, 'input', 'Acme Outdoor is nice').blocked).toBeUndefined();
  });
});

describe('escalation rules', () => {
  const config = AgentConfigSchema.parse({
    attributes: [{ key: 'plan', values: ['free', 'pro'] }],
    escalation: [
      { id: 'vip-negative', all: [{ attribute: 'plan', op: 'eq', value: 'pro' }, { attribute: 'sentiment', op: 'eq', value: 'negative' }], team: 'vip' },
      { id: 'billing', any: [{ attribute: 'intent', op: 'in', value: ['pricing_payment', 'return_refund'] }], team: 'billing' },
    ],
  });
  it('picks the first rule whose conditions hold', () => {
    expect(matchEscalation(config, { plan: 'pro', sentiment: 'negative', intent: 'return_refund' })?.id).toBe('vip-negative');
    expect(matchEscalation(config, { plan: 'free', sentiment: 'negative', intent: 'return_refund' })?.team).toBe('billing');
    expect(matchEscalation(config, { plan: 'free', sentiment: 'neutral', intent: 'greeting' })).toBeUndefined();
  });
});

describe('LLM pricing', () => {
  it('prices known models per million tokens, dated variants included, and flags unknown ones', async () => {
    const { costUsd } = await import('./providers/pricing.js');
    expect(costUsd('gpt-4o-mini', { promptTokens: 1_000_000, completionTokens: 1_000_000 })).toEqual({ usd: 0.75, priced: true });
    expect(costUsd('gpt-4o-mini-2024-07-18', { promptTokens: 2_000_000, completionTokens: 0 }).usd).toBeCloseTo(0.3);
    expect(costUsd('my-local-llama', { promptTokens: 10, completionTokens: 10 })).toEqual({ usd: 0, priced: false });
  });
});

describe('guardrail patterns', () => {
  it('refuses nested quantifiers that could hang the worker, and keeps ordinary patterns', () => {
    const pattern = (p: string) => AgentConfigSchema.safeParse({ guardrails: [{ id: 'g', stage: 'input', kind: 'regex', pattern: p, action: 'block' }] }).success;
    expect(pattern('(\\w+\\s?)+$')).toBe(false);
    expect(pattern('(a+)+b')).toBe(false);
    expect(pattern('(?:x*)*')).toBe(false);
    expect(pattern('\\b\\d(?:[ -]?\\d){12,15}\\b')).toBe(true);
    expect(pattern('(cheap|free) (pills|money)')).toBe(true);
  });
});
