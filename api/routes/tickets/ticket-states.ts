import type { TicketStatus } from '../../../temporal/contracts.js';

/**
 * The ticket lifecycle: new → open → pending (waiting on the customer) → open → resolved → closed.
 * A resolved ticket can be reopened; a closed one is final.
 */
export const TRANSITIONS: Record<TicketStatus, readonly TicketStatus[]> = {
  new: ['open', 'pending', 'resolved', 'closed'],
  open: ['pending', 'resolved', 'closed'],
  pending: ['open', 'resolved', 'closed'],
  resolved: ['open', 'closed'],
  closed: [],
};

export const canMove = (from: TicketStatus, to: TicketStatus) => TRANSITIONS[from].includes(to);
