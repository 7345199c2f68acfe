import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { sesFailure } from './ses-errors.js';

describe('SES errors', () => {
  const err = (name: string, status?: number) => Object.assign(new Error(`${name} happened`), { name, ...(status && { $metadata: { httpStatusCode: status } }) });
  it('fails the message for refusals that a retry cannot change', () => {
    for (const [code, status] of [['MessageRejected', 400], ['MailFromDomainNotVerifiedException', 400], ['InvalidParameterValue', 400], ['AccessDenied', 403], ['SignatureDoesNotMatch', 403], ['InvalidClientTokenId', 403], ['SomethingNew', 400]] as const) {
      const f = sesFailure(err(code, status));
      expect(f, code).toBeInstanceOf(ApplicationFailure);
      expect((f as ApplicationFailure).nonRetryable, code).toBe(true);
      expect(f.message).toContain(code);
    }
  });
  it('retries throttling, server errors and network failures', () => {
    for (const e of [err('Throttling', 400), err('InternalFailure', 500), err('ServiceUnavailable', 503), err('ECONNREFUSED')]) {
      expect((sesFailure(e) as ApplicationFailure).nonRetryable, e.name).toBe(false);
    }
  });
});
