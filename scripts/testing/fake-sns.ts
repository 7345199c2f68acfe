import { createSign, generateKeyPairSync, randomUUID, sign as signRaw, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { snsStringToSign, type SnsEnvelope } from '../../api/services/email/sns-message.js';

/**
 * A local stand-in for SNS's side of an HTTP subscription: it signs messages the way SNS does
 * (SignatureVersion 1, SHA1withRSA, or 2, SHA256withRSA, over the documented canonical string),
 * serves the signing certificate as a PEM file, and answers the SubscribeURL of a confirmation.
 * The certificate is self-signed and made at start-up, so no key material lives in the repository.
 */
export interface FakeSns {
  url: string;
  certUrl: string;
  /** Tokens whose SubscribeURL was visited. */
  confirmations: string[];
  /** A signed Notification; `with` overrides fields before signing. */
  notification(topicArn: string, message: unknown, opts?: SignOptions): SnsEnvelope;
  subscriptionConfirmation(topicArn: string, opts?: SignOptions): SnsEnvelope;
  /** Signs an envelope again (after a test changed it), with this server's key unless told otherwise. */
  sign(envelope: Omit<SnsEnvelope, 'Signature'> & { Signature?: string }, opts?: SignOptions): SnsEnvelope;
  close(): Promise<void>;
}

export interface SignOptions {
  version?: '1' | '2';
  /** Sign with a key that is not the certificate's: a forgery. */
  foreignKey?: boolean;
  messageId?: string;
}

export async function startFakeSns(): Promise<FakeSns> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const foreign = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  const pem = selfSignedCertificate(privateKey, publicKey, 'sns.amazonaws.com');
  const confirmations: string[] = [];
  const certPath = `/SimpleNotificationService-${randomUUID().replace(/-/g, '')}.pem`;
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method === 'GET' && url.pathname === certPath) {
      res.writeHead(200, { 'content-type': 'application/x-x509-ca-cert' }).end(pem);
    } else if (req.method === 'GET' && url.searchParams.get('Action') === 'ConfirmSubscription') {
      confirmations.push(url.searchParams.get('Token') ?? '');
      res.writeHead(200, { 'content-type': 'text/xml' }).end(
        `<ConfirmSubscriptionResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><ConfirmSubscriptionResult><SubscriptionArn>${url.searchParams.get('TopicArn')}:${randomUUID()}</SubscriptionArn></ConfirmSubscriptionResult></ConfirmSubscriptionResponse>`,
      );
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const certUrl = `${url}${certPath}`;

  const sign: FakeSns['sign'] = (envelope, opts = {}) => {
    const version = opts.version ?? envelope.SignatureVersion ?? '1';
    const signer = createSign(version === '2' ? 'RSA-SHA256' : 'RSA-SHA1');
    signer.update(snsStringToSign(envelope as SnsEnvelope), 'utf8');
    return { ...envelope, SignatureVersion: version, Signature: signer.sign(opts.foreignKey ? foreign : privateKey, 'base64') } as SnsEnvelope;
  };
  const base = (type: SnsEnvelope['Type'], topicArn: string, message: string, opts: SignOptions) => ({
    Type: type,
    MessageId: opts.messageId ?? randomUUID(),
    TopicArn: topicArn,
    Message: message,
    Timestamp: new Date().toISOString(),
    SignatureVersion: opts.version ?? '1',
    SigningCertURL: certUrl,
  });
  return {
    url,
    certUrl,
    confirmations,
    notification: (topicArn, message, opts = {}) => sign(base('Notification', topicArn, typeof message === 'string' ? message : JSON.stringify(message), opts), opts),
    subscriptionConfirmation: (topicArn, opts = {}) => {
      const token = randomUUID().replace(/-/g, '');
      return sign(
        {
          ...base('SubscriptionConfirmation', topicArn, `You have chosen to subscribe to the topic ${topicArn}.`, opts),
          Token: token,
          SubscribeURL: `${url}/?Action=ConfirmSubscription&TopicArn=${encodeURIComponent(topicArn)}&Token=${token}`,
        },
        opts,
      );
    },
    sign,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

// --- A minimal DER encoder: just enough X.509 for a self-signed RSA certificate. ---

function tlv(tag: number, content: Buffer): Buffer {
  const n = content.length;
  const len = n < 0x80 ? Buffer.from([n]) : n < 0x100 ? Buffer.from([0x81, n]) : Buffer.from([0x82, n >> 8, n & 0xff]);
  return Buffer.concat([Buffer.from([tag]), len, content]);
}
const seq = (...items: Buffer[]) => tlv(0x30, Buffer.concat(items));
const oid = (hex: string) => tlv(0x06, Buffer.from(hex, 'hex'));
const SHA256_WITH_RSA = seq(oid('2a864886f70d01010b'), Buffer.from([0x05, 0x00]));
const name = (cn: string) => seq(tlv(0x31, seq(oid('550403'), tlv(0x0c, Buffer.from(cn)))));
const utcTime = (d: Date) => tlv(0x17, Buffer.from(d.toISOString().replace(/[-:T]/g, '').slice(2, 14) + 'Z'));

function selfSignedCertificate(privateKey: KeyObject, publicKey: KeyObject, cn: string): string {
  const now = Date.now();
  const tbs = seq(
    tlv(0x02, Buffer.from([0x01, ...randomSerial()])),
    SHA256_WITH_RSA,
    name(cn),
    seq(utcTime(new Date(now - 3600_000)), utcTime(new Date(now + 365 * 86400_000))),
    name(cn),
    publicKey.export({ type: 'spki', format: 'der' }),
  );
  const signature = signRaw('sha256', tbs, privateKey);
  const der = seq(tbs, SHA256_WITH_RSA, tlv(0x03, Buffer.concat([Buffer.from([0]), signature])));
  return `-----BEGIN CERTIFICATE-----\n${der.toString('base64').match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----\n`;
}

const randomSerial = () => Buffer.from(randomUUID().replace(/-/g, '').slice(0, 14), 'hex');
