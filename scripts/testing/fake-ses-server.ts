import { createHash, createHmac, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local server that speaks the Amazon SES v1 Query API as @aws-sdk/client-ses calls it: POST /
 * with a form body (Action=SendRawEmail, SendEmail, GetSendQuota), an AWS Signature Version 4
 * Authorization header that it verifies with the account's secret, XML answers, and SES's XML
 * ErrorResponse with the status SES gives each error.
 */
export interface FakeSes {
  url: string;
  /** Mails SES accepted, as received. */
  sent: Array<{ messageId: string; source: string | null; destinations: string[]; raw: string; configurationSet: string | null }>;
  /** Every request that reached the server, accepted or refused. */
  requests: Array<{ action: string; status: number }>;
  /** The next SendRawEmail/SendEmail calls fail with these codes, in order. */
  failNext(...codes: Array<keyof typeof ERRORS>): void;
  close(): Promise<void>;
}

const ERRORS = {
  MessageRejected: { status: 400, type: 'Sender', message: 'Email address is not verified. The following identities failed the check in region US-EAST-1: recipient@example.com' },
  Throttling: { status: 400, type: 'Sender', message: 'Maximum sending rate exceeded.' },
  InvalidClientTokenId: { status: 403, type: 'Sender', message: 'The security token included in the request is invalid.' },
  SignatureDoesNotMatch: { status: 403, type: 'Sender', message: 'The request signature we calculated does not match the signature you provided.' },
  InvalidParameterValue: { status: 400, type: 'Sender', message: 'Missing final \'@domain\'' },
  MissingAuthenticationToken: { status: 403, type: 'Sender', message: 'Request is missing Authentication Token' },
  ServiceUnavailable: { status: 503, type: 'Receiver', message: 'Service is unavailable' },
} as const;

const NS = 'http://ses.amazonaws.com/doc/2010-12-01/';
const errorXml = (code: keyof typeof ERRORS) =>
  `<ErrorResponse xmlns="${NS}"><Error><Type>${ERRORS[code].type}</Type><Code>${code}</Code><Message>${ERRORS[code].message}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`;
const ok = (action: string, result: string) =>
  `<${action}Response xmlns="${NS}"><${action}Result>${result}</${action}Result><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></${action}Response>`;

export async function startFakeSes(account: { accessKeyId: string; secretAccessKey: string }): Promise<FakeSes> {
  const sent: FakeSes['sent'] = [];
  const requests: FakeSes['requests'] = [];
  const failures: Array<keyof typeof ERRORS> = [];

  const server: Server = createServer(async (req, res) => {
    const body = await read(req);
    const form = new URLSearchParams(body.toString('utf8'));
    const action = form.get('Action') ?? '';
    const answer = (status: number, xml: string) => {
      requests.push({ action, status });
      res.writeHead(status, { 'content-type': 'text/xml', 'x-amzn-requestid': randomUUID() }).end(xml);
    };
    const fail = (code: keyof typeof ERRORS) => answer(ERRORS[code].status, errorXml(code));

    if (req.method !== 'POST' || (req.url ?? '/').split('?')[0] !== '/') return fail('InvalidParameterValue');
    const auth = authorization(req.headers.authorization);
    if (!auth) return fail('MissingAuthenticationToken');
    if (auth.accessKeyId !== account.accessKeyId) return fail('InvalidClientTokenId');
    if (sigV4(req, body, auth, account.secretAccessKey) !== auth.signature) return fail('SignatureDoesNotMatch');

    if (action === 'GetSendQuota') {
      return answer(200, ok(action, `<Max24HourSend>50000.0</Max24HourSend><MaxSendRate>14.0</MaxSendRate><SentLast24Hours>${sent.length}.0</SentLast24Hours>`));
    }
    if (action !== 'SendRawEmail' && action !== 'SendEmail') return fail('InvalidParameterValue');
    const queued = failures.shift();
    if (queued) return fail(queued);
    const destinations = [...form.entries()].filter(([k]) => /^Destinations?\.member\.\d+$|^Destination\.ToAddresses\.member\.\d+$/.test(k)).map(([, v]) => v);
    let raw: string;
    if (action === 'SendRawEmail') {
      const data = form.get('RawMessage.Data');
      if (!data) return fail('InvalidParameterValue');
      raw = Buffer.from(data, 'base64').toString('utf8');
    } else {
      raw = `Subject: ${form.get('Message.Subject.Data') ?? ''}\r\n\r\n${form.get('Message.Body.Text.Data') ?? ''}`;
    }
    if (!destinations.length && !/^To:/im.test(raw)) return fail('InvalidParameterValue');
    // Like SES, the mail leaves with SES's own Message-ID.
    const messageId = `0100${Date.now().toString(16)}-${randomUUID()}-000000`;
    raw = `Message-ID: <${messageId}@email.amazonses.com>\r\n${raw.replace(/^Message-ID:.*\r?\n/im, '')}`;
    sent.push({ messageId, source: form.get('Source'), destinations, raw, configurationSet: form.get('ConfigurationSetName') });
    return answer(200, ok(action, `<MessageId>${messageId}</MessageId>`));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    sent,
    requests,
    failNext: (...codes) => failures.push(...codes),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function read(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

interface SigV4Auth {
  accessKeyId: string;
  scope: string;
  signedHeaders: string[];
  signature: string;
}

function authorization(header: string | undefined): SigV4Auth | null {
  const m = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/([^,]+), ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/.exec(header ?? '');
  return m ? { accessKeyId: m[1], scope: m[2], signedHeaders: m[3].split(';'), signature: m[4] } : null;
}

/** The SigV4 signature the request should carry (POST to "/", no query string). */
function sigV4(req: IncomingMessage, body: Buffer, auth: SigV4Auth, secret: string): string {
  const sha256 = (d: string | Buffer) => createHash('sha256').update(d).digest('hex');
  const hmac = (key: string | Buffer, d: string) => createHmac('sha256', key).update(d).digest();
  const header = (name: string) => {
    const v = req.headers[name];
    return (Array.isArray(v) ? v.join(',') : (v ?? '')).trim().replace(/\s+/g, ' ');
  };
  const canonical = [
    req.method,
    '/',
    '',
    ...auth.signedHeaders.map((h) => `${h}:${header(h)}`),
    '',
    auth.signedHeaders.join(';'),
    header('x-amz-content-sha256') || sha256(body),
  ].join('\n');
  const amzDate = header('x-amz-date');
  const toSign = ['AWS4-HMAC-SHA256', amzDate, auth.scope, sha256(canonical)].join('\n');
  const [date, region, service, terminator] = auth.scope.split('/');
  const key = [region, service, terminator].reduce<Buffer>((k, part) => hmac(k, part), hmac(`AWS4${secret}`, date));
  return createHmac('sha256', key).update(toSign).digest('hex');
}
