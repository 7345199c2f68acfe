import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

/**
 * A local server that speaks Twilio's REST API (2010-04-01) for what the channel uses: sending a
 * message and fetching the account. It checks what Twilio checks (HTTP Basic auth with the Account
 * SID and Auth Token, the account in the path, form encoding, To/From/Body or ContentSid) and
 * answers as Twilio does, error bodies included: `{ code, message, more_info, status }`.
 */
export interface FakeTwilio {
  url: string;
  /** Every message Twilio accepted, with the form as sent. */
  messages: Array<{ sid: string; accountSid: string; form: Record<string, string> }>;
  /** Every request that reached the server, answered or refused. */
  requests: Array<{ method: string; path: string; status: number; form: Record<string, string> }>;
  /** The next `count` requests (those `only` picks, by their form) are answered with this status, as Twilio under load. */
  failNext(count: number, status: 500 | 503 | 429, only?: (form: Record<string, string>) => boolean): void;
  /** Accepted messages are answered only after this long, as a slow network would: a sender can die in between. */
  holdAccepted(ms: number): void;
  close(): Promise<void>;
}

const errorBody = (status: number, code: number, message: string) =>
  JSON.stringify({ code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status });

const E164 = /^\+[1-9]\d{6,14}$/;
const rfc2822 = (d: Date) => d.toUTCString().replace('GMT', '+0000');

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Twilio's webhook signature, computed as Twilio computes it: HMAC-SHA1 with the Auth Token over the
 * full URL followed by each POST parameter's name and value, sorted by name; base64.
 */
export function twilioSignature(authToken: string, url: string, params: Record<string, string>): string {
  const data = Object.keys(params)
    .sort()
    .reduce((acc, key) => acc + key + params[key], url);
  return createHmac('sha1', authToken).update(Buffer.from(data, 'utf-8')).digest('base64');
}

async function readForm(req: IncomingMessage): Promise<Record<string, string>> {
  let raw = '';
  for await (const chunk of req) raw += chunk;
  return Object.fromEntries(new URLSearchParams(raw));
}

/** `accounts` maps each Account SID to its Auth Token. */
export async function startFakeTwilio(accounts: Record<string, string>): Promise<FakeTwilio> {
  const messages: FakeTwilio['messages'] = [];
  const requests: FakeTwilio['requests'] = [];
  let failures: { count: number; status: number; only?: (form: Record<string, string>) => boolean } = { count: 0, status: 500 };
  let holdMs = 0;

  const handle = async (req: IncomingMessage, res: ServerResponse, form: Record<string, string>) => {
    const send = (status: number, body: string) => {
      requests.push({ method: req.method ?? '', path: req.url ?? '', status, form });
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(body);
    };
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const route = /^\/2010-04-01\/Accounts\/(AC[0-9a-fA-F]{32})(\.json|\/Messages\.json)$/.exec(path);
    if (!route) return send(404, errorBody(404, 20404, `The requested resource ${path} was not found`));

    const [user, password] = Buffer.from((req.headers.authorization ?? '').replace(/^Basic /, ''), 'base64').toString().split(/:(.*)/s);
    const token = accounts[user ?? ''];
    if (!token || !password || !sameSecret(password, token)) return send(401, errorBody(401, 20003, 'Authenticate'));
    const accountSid = route[1];
    // Credentials of one account cannot reach another's resources.
    if (accountSid !== user) return send(404, errorBody(404, 20404, `The requested resource ${path} was not found`));

    if (failures.count > 0 && (!failures.only || failures.only(form))) {
      failures.count--;
      return failures.status === 429
        ? send(429, errorBody(429, 20429, 'Too Many Requests'))
        : send(failures.status, errorBody(failures.status, 20500, 'An internal server error has occurred'));
    }

    const now = new Date();
    if (route[2] === '.json') {
      if (req.method !== 'GET') return send(405, errorBody(405, 20004, 'Method not allowed'));
      return send(200, JSON.stringify({
        sid: accountSid, friendly_name: 'Fake Twilio account', status: 'active', type: 'Full', owner_account_sid: accountSid,
        auth_token: token, date_created: rfc2822(now), date_updated: rfc2822(now), uri: `/2010-04-01/Accounts/${accountSid}.json`, subresource_uris: {},
      }));
    }
    if (req.method !== 'POST') return send(405, errorBody(405, 20004, 'Method not allowed'));
    if (!(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) return send(400, errorBody(400, 20001, 'Invalid content type'));

    const { To: to, From: from, Body: body, ContentSid: contentSid, StatusCallback: statusCallback } = form;
    if (!to) return send(400, errorBody(400, 21604, "A 'To' phone number is required."));
    if (!from && !form.MessagingServiceSid) return send(400, errorBody(400, 21603, "A 'From' phone number is required."));
    const whatsapp = to.startsWith('whatsapp:');
    if (whatsapp !== (from ?? '').startsWith('whatsapp:')) return send(400, errorBody(400, 21910, 'Invalid From and To pair. From and To should be of the same channel'));
    if (!E164.test(to.replace(/^whatsapp:/, ''))) return send(400, errorBody(400, 21211, `Invalid 'To' Phone Number: ${to}`));
    if (from && !E164.test(from.replace(/^whatsapp:/, ''))) return send(400, errorBody(400, 21212, `Invalid From Number (caller ID): ${from}`));
    if (!body && !contentSid && !form.MediaUrl) return send(400, errorBody(400, 21602, 'Message body is required.'));
    if (body && body.length > 1600) return send(400, errorBody(400, 21617, 'The concatenated message body exceeds the 1600 character limit.'));
    if (contentSid && !/^HX[0-9a-fA-F]{32}$/.test(contentSid)) return send(400, errorBody(400, 21656, 'The ContentSid is Invalid.'));
    if (form.ContentVariables) {
      try {
        JSON.parse(form.ContentVariables);
      } catch {
        return send(400, errorBody(400, 21657, 'The ContentVariables Parameter is invalid.'));
      }
    }
    if (statusCallback && !/^https?:\/\//.test(statusCallback)) return send(400, errorBody(400, 21609, 'Invalid StatusCallback'));

    const sid = `SM${randomBytes(16).toString('hex')}`;
    messages.push({ sid, accountSid, form });
    if (holdMs > 0) await new Promise((r) => setTimeout(r, holdMs));
    return send(201, JSON.stringify({
      account_sid: accountSid, api_version: '2010-04-01', body: body ?? '', date_created: rfc2822(now), date_sent: null, date_updated: rfc2822(now),
      direction: 'outbound-api', error_code: null, error_message: null, from, messaging_service_sid: form.MessagingServiceSid ?? null,
      num_media: '0', num_segments: '1', price: null, price_unit: 'USD', sid, status: 'queued', to,
      subresource_uris: { media: `/2010-04-01/Accounts/${accountSid}/Messages/${sid}/Media.json` }, uri: `/2010-04-01/Accounts/${accountSid}/Messages/${sid}.json`,
    }));
  };

  const server: Server = createServer((req, res) => {
    readForm(req)
      .then((form) => handle(req, res, form))
      .catch(() => {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(errorBody(500, 20500, 'An internal server error has occurred'));
      });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    messages,
    requests,
    failNext(count, status, only) {
      failures = { count, status, only };
    },
    holdAccepted(ms) {
      holdMs = ms;
    },
    close: () =>
      new Promise((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}
