// nodemailer (a dependency of mailparser) ships no types; only the MIME builder is used.
declare module 'nodemailer/lib/mail-composer/index.js' {
  interface Address {
    name?: string;
    address: string;
  }
  interface MailOptions {
    from?: string | Address;
    to?: string | Address | Array<string | Address>;
    subject?: string;
    text?: string;
    html?: string;
    inReplyTo?: string;
    references?: string | string[];
    messageId?: string;
    headers?: Record<string, string>;
    attachments?: Array<{ filename?: string; content?: string | Buffer; contentType?: string }>;
  }
  export default class MailComposer {
    constructor(mail: MailOptions);
    compile(): { build(): Promise<Buffer> };
  }
}
