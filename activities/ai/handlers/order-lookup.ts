/** Order numbers as customers write them: "order 12345", "order #NW-10234", "#10234". */
const AFTER_WORD = /\b(?:order|bestelling|ordernummer|bestelnummer|commande|pedido)\s*(?:number|no\.?|nr\.?|num(?:ber)?)?\s*[:#]?\s*#?([A-Z]{0,4}-?\d{3,12})\b/i;
const HASHED = /#([A-Z]{0,4}-?\d{4,12})\b/i;

export function findOrderNumber(text: string): string | undefined {
  return (AFTER_WORD.exec(text) ?? HASHED.exec(text))?.[1]?.toUpperCase();
}

const FIELDS: Array<[string, string]> = [
  ['status', 'Status'],
  ['carrier', 'Carrier'],
  ['trackingNumber', 'Tracking number'],
  ['trackingUrl', 'Track it at'],
  ['estimatedDelivery', 'Expected delivery'],
  ['eta', 'Expected delivery'],
  ['shippedAt', 'Shipped'],
  ['deliveredAt', 'Delivered'],
];

/** The shop's answer in plain words: only the fields a customer cares about, nothing else it returned. */
export function describeOrder(orderNumber: string, data: Record<string, unknown> | undefined): string {
  const order = (data && typeof data.order === 'object' && data.order !== null ? data.order : data) as Record<string, unknown> | undefined;
  const lines = FIELDS.flatMap(([key, label]) => {
    const v = order?.[key];
    return typeof v === 'string' || typeof v === 'number' ? [`${label}: ${v}`] : [];
  });
  if (lines.length === 0) return `I found order ${orderNumber}, but the shop gave no status for it yet.`;
  return `Here's the latest on order ${orderNumber}:\n${[...new Set(lines)].join('\n')}`;
}
