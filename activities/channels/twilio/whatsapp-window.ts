/** WhatsApp lets a business send free text only within 24 hours of the customer's last message. */
export const WHATSAPP_WINDOW_MS = 24 * 60 * 60 * 1000;

export function whatsappWindowOpen(lastInboundAt: Date | null, now = new Date()): boolean {
  return lastInboundAt !== null && now.getTime() - lastInboundAt.getTime() < WHATSAPP_WINDOW_MS;
}

export interface FallbackTemplate {
  contentSid: string;
  variables: Record<string, string>;
}

/**
 * The template's variables for one send, as Twilio's ContentVariables JSON. `{{message}}` is the
 * text that could not be sent freely and `{{contact.name}}` the customer's name when known; a
 * variable that would come out empty is given a neutral word, since WhatsApp rejects empty ones.
 */
export function templateVariables(template: FallbackTemplate, values: { message: string; contactName?: string | null }): string {
  const filled = Object.fromEntries(
    Object.entries(template.variables).map(([key, value]) => {
      const text = value.replaceAll('{{message}}', values.message).replaceAll('{{contact.name}}', values.contactName?.trim() || 'there').trim();
      return [key, text || '-'];
    }),
  );
  return JSON.stringify(filled);
}
