import { describe, expect, it } from 'vitest';
import { draftAfterSend } from './reply-draft';

describe('the reply draft after a send', () => {
  it('clears the text that was sent', () => {
    expect(draftAfterSend('Hello there', 'Hello there')).toBe('');
    expect(draftAfterSend('Hello there\n  ', 'Hello there')).toBe('');
  });

  it('keeps what was typed while sending', () => {
    expect(draftAfterSend('Hello there\nAnd one more thing', 'Hello there')).toBe('And one more thing');
  });

  it('keeps a draft that was edited, not appended to', () => {
    expect(draftAfterSend('Hi there', 'Hello there')).toBe('Hi there');
    expect(draftAfterSend('', 'Hello there')).toBe('');
  });
});
