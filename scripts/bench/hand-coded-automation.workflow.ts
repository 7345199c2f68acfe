/**
 * The bench's baseline: the same automation as bench-automations.ts's graph, written by hand as a
 * Temporal workflow. Decisions are plain TypeScript; each action is one activity calling the very
 * executor the interpreter uses, so the difference between the two is the interpreter's own cost.
 */
import { proxyActivities, proxyLocalActivities, uuid4 } from '@temporalio/workflow';
import type { HandCodedActivities } from './hand-coded-activities.js';

const act = proxyActivities<HandCodedActivities>({ startToCloseTimeout: '30s', retry: { maximumAttempts: 3, initialInterval: '1s' } });
// Local, as the interpreter's own start is: a baseline paying an extra server round trip would flatter the interpreter.
const { loadContact } = proxyLocalActivities<HandCodedActivities>({ startToCloseTimeout: '10s' });

export interface HandCodedInput {
  tenantId: string;
  contactId: string;
  plan: string;
  url: string;
}

export async function handCodedAutomation(input: HandCodedInput): Promise<number> {
  const base = { tenantId: input.tenantId, contactId: input.contactId };
  const contact = await loadContact(base);
  let steps = 1;
  await act.runAction({ ...base, type: 'action.tag', effectId: uuid4(), config: { add: ['bench'], remove: [] } });
  steps += 2;
  if (input.plan !== 'pro') return steps;
  await act.runAction({ ...base, type: 'action.update_contact', effectId: uuid4(), config: { attributes: { seen: 'yes' } } });
  steps += 2;
  if (contact.tier !== 'gold') return steps;
  await act.runAction({ ...base, type: 'action.create_ticket', effectId: uuid4(), config: { subject: `Gold customer on ${input.plan}`, priority: 'high' } });
  const response = (await act.runAction({ ...base, type: 'action.http_request', effectId: uuid4(), config: { method: 'GET', url: input.url } })) as { status: number };
  await act.runAction({ ...base, type: 'action.tag', effectId: uuid4(), config: { add: [], remove: ['bench'] } });
  steps += 4;
  if (response.status === 200) {
    await act.runAction({ ...base, type: 'action.update_contact', effectId: uuid4(), config: { attributes: { done: 'yes' } } });
    steps++;
  }
  return steps;
}
