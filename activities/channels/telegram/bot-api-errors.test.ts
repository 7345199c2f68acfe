import { describe, expect, it } from 'vitest';
import { botApiFailure } from './bot-api-errors.js';

describe('botApiFailure', () => {
  it("fails for good on 400, 401 and 403, with Telegram's description", () => {
    for (const [code, description] of [
      [400, 'Bad Request: chat not found'],
      [401, 'Unauthorized'],
      [403, 'Forbidden: bot was blocked by the user'],
      [404, 'Not Found'],
    ] as const) {
      const f = botApiFailure(code, { ok: false, error_code: code, description });
      expect(f.nonRetryable, description).toBe(true);
      expect(f.message).toContain(description);
    }
  });

  it('retries 429 after the retry_after Telegram asks for, and server errors', () => {
    const limited = botApiFailure(429, { ok: false, error_code: 429, description: 'Too Many Requests: retry after 7', parameters: { retry_after: 7 } });
    expect(limited.nonRetryable).toBe(false);
    expect(limited.nextRetryDelay).toBe('7s');
    expect(botApiFailure(429, { ok: false, error_code: 429, description: 'x', parameters: { retry_after: 3600 } }).nextRetryDelay).toBe('60s');
    expect(botApiFailure(502, undefined).nonRetryable).toBe(false);
    expect(botApiFailure(500, { ok: false, error_code: 500, description: 'Internal Server Error' }).nonRetryable).toBe(false);
  });
});
