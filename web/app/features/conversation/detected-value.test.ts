import { describe, expect, it } from 'vitest';
import { detectedLabel, languageName } from './detected-value';

describe('detected values in the contact sidebar', () => {
  it('names a language from its code', () => {
    expect(languageName('en')).toBe('English');
    expect(languageName('es')).toBe('Spanish');
    expect(languageName('pt-BR')).toBe('Brazilian Portuguese');
  });

  it('upper-cases a code it cannot name and keeps a name as written', () => {
    expect(languageName('qq')).toBe('QQ');
    expect(languageName('Français')).toBe('Français');
  });

  it('sentence-cases only the built-in word lists', () => {
    expect(detectedLabel('intent', 'billing_question')).toBe('Billing question');
    expect(detectedLabel('language', 'de')).toBe('German');
    expect(detectedLabel('plan', 'pro_EU')).toBe('pro_EU');
  });
});
