import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeSns, type FakeSns } from '../../../scripts/testing/fake-sns.js';
import { DEFAULT_SNS_CERT_URL_PATTERN, isSnsUrl, snsCertCache, snsStringToSign, verifySnsMessage, type SnsEnvelope } from './sns-message.js';

const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:inbound-mail';
const real = new RegExp(DEFAULT_SNS_CERT_URL_PATTERN);

describe('the SNS canonical string', () => {
  it('signs the documented fields in order, Subject only when present', () => {
    const base = { Type: 'Notification' as const, Message: 'm', MessageId: 'id', Timestamp: 't', TopicArn: 'arn', SigningCertURL: 'x', SignatureVersion: '1', Signature: 's' };
    expect(snsStringToSign(base)).toBe('Message\nm\nMessageId\nid\nTimestamp\nt\nTopicArn\narn\nType\nNotification\n');
    expect(snsStringToSign({ ...base, Subject: 'sub' })).toBe('Message\nm\nMessageId\nid\nSubject\nsub\nTimestamp\nt\nTopicArn\narn\nType\nNotification\n');
    expect(snsStringToSign({ ...base, Type: 'SubscriptionConfirmation', SubscribeURL: 'u', Token: 'k' })).toBe(
      'Message\nm\nMessageId\nid\nSubscribeURL\nu\nTimestamp\nt\nToken\nk\nTopicArn\narn\nType\nSubscriptionConfirmation\n',
    );
  });
});

describe('the signing certificate URL', () => {
  it("accepts only SNS's own https host and .pem files by default", () => {
    expect(isSnsUrl('https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-abc.pem', real, true)).toBe(true);
    expect(isSnsUrl('https://sns.cn-north-1.amazonaws.com.cn/SimpleNotificationService-abc.pem', real, true)).toBe(true);
    for (const bad of [
      'http://sns.eu-west-1.amazonaws.com/SimpleNotificationService-abc.pem',
      'https://sns.eu-west-1.amazonaws.com.evil.example/SimpleNotificationService-abc.pem',
      'https://evil.example/sns.eu-west-1.amazonaws.com/x.pem',
      'https://sns.eu-west-1.amazonaws.com@evil.example/x.pem',
      'https://x@sns.eu-west-1.amazonaws.com/x.pem',
      'https://s3.amazonaws.com/x.pem',
      'https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-abc.txt',
      'not a url',
    ]) {
      expect(isSnsUrl(bad, real, true), bad).toBe(false);
    }
    expect(isSnsUrl('https://sns.eu-west-1.amazonaws.com/?Action=ConfirmSubscription&Token=x', real, false)).toBe(true);
  });
});

describe('verifying an SNS message', () => {
  let sns: FakeSns;
  const local = /^http:\/\/127\.0\.0\.1:\d+\//;
  const opts = () => ({ certUrlPattern: local, fetchCert: snsCertCache() });
  beforeAll(async () => {
    sns = await startFakeSns();
  });
  afterAll(async () => sns?.close());

  it('accepts SignatureVersion 1 (SHA1withRSA) and 2 (SHA256withRSA)', async () => {
    await expect(verifySnsMessage(sns.notification(TOPIC, { a: 1 }, { version: '1' }), opts())).resolves.toBeUndefined();
    await expect(verifySnsMessage(sns.notification(TOPIC, { a: 1 }, { version: '2' }), opts())).resolves.toBeUndefined();
    await expect(verifySnsMessage(sns.subscriptionConfirmation(TOPIC), opts())).resolves.toBeUndefined();
  });

  it('rejects every altered or foreign message', async () => {
    const good = sns.notification(TOPIC, { a: 1 });
    const variants: Array<[string, SnsEnvelope]> = [
      ['tampered Message', { ...good, Message: '{"a":2}' }],
      ['tampered TopicArn', { ...good, TopicArn: `${TOPIC}x` }],
      ['added Subject', { ...good, Subject: 'hi' }],
      ['foreign key', sns.notification(TOPIC, { a: 1 }, { foreignKey: true })],
      ['version 1 signature labelled 2', { ...good, SignatureVersion: '2' }],
      ['unknown version', { ...good, SignatureVersion: '3' }],
      ['garbage signature', { ...good, Signature: 'AAAA' }],
      ['certificate on another host', { ...good, SigningCertURL: good.SigningCertURL.replace('127.0.0.1', 'localhost') }],
      ['certificate not .pem', { ...good, SigningCertURL: good.SigningCertURL.replace('.pem', '.txt') }],
      ['certificate missing', { ...good, SigningCertURL: `${sns.url}/missing.pem` }],
    ];
    for (const [name, m] of variants) {
      await expect(verifySnsMessage(m, opts()), name).rejects.toThrow();
    }
  });
});
