import { stem } from './text.js';

/**
 * Customers and help articles rarely use the same words. Each group is a set of interchangeable
 * terms; a query term also matches the rest of its group, at a discount.
 */
const GROUPS = [
  'cost price fee charge pay much expensive cheap',
  'ship shipping deliver delivery send dispatch parcel package courier postnl dhl',
  'return send back refund money back exchange swap',
  'cancel cancellation stop order',
  'size sizing fit small large run big length inside leg',
  'stock available availability restock sold out back in',
  'wash washing clean care dry',
  'warranty guarantee defect faulty broken repair',
  'discount code voucher coupon student points loyalty promo sale',
  'job vacancy apply application career work hiring cv',
  'open opening hour hours time closed weekend saturday sunday available',
  'privacy data personal gdpr delete erase marketing message unsubscribe stop',
  'track tracking where status order arrive arrived delivered',
  'abroad international country countries outside customs duties import tax',
  'pay payment klarna ideal card credit paypal charge charged',
];

const index = new Map<string, Set<string>>();
for (const group of GROUPS) {
  const stems = new Set(group.split(' ').map(stem));
  for (const s of stems) {
    const existing = index.get(s) ?? new Set<string>();
    for (const t of stems) if (t !== s) existing.add(t);
    index.set(s, existing);
  }
}

export function related(term: string): string[] {
  return [...(index.get(term) ?? [])];
}
