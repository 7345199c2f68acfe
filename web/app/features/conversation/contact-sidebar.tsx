import { Link, useLocation } from '@remix-run/react';
import type { Conversation, Message } from '~/api.server';
import { Time } from '~/shared/time';
import { ChannelBadge, contactLabel, StatusBadge } from '../inbox/badges';
import type { ContactConversation, ContactDetail } from './conversation-api.server';
import { detectedLabel } from './detected-value';

interface SidebarProps {
  conversation: Conversation;
  messages: Message[];
  contact: ContactDetail | null;
  pastConversations: ContactConversation[] | null;
  open: boolean;
  onClose: () => void;
}

const DETECTED = ['intent', 'sentiment', 'urgency', 'priority', 'language'] as const;

const shown = (v: unknown) => v !== undefined && v !== null && v !== '' && typeof v !== 'object';

/**
 * The triage the API reports (with the tenant's own detected attributes under `custom`), else
 * what the newest inbound message was tagged with.
 */
function detected(conversation: Conversation, messages: Message[]): Record<string, string> {
  const inbound = [...messages].reverse().find((m) => m.direction === 'inbound' && m.attributes);
  const source: Record<string, unknown> = { ...(inbound?.attributes ?? {}), ...(conversation.triage ?? {}) };
  const out: Record<string, string> = {};
  for (const key of DETECTED) {
    const value = source[key] ?? (key === 'priority' ? conversation.priority : undefined);
    if (shown(value)) out[key] = String(value);
  }
  const custom = source.custom;
  if (custom && typeof custom === 'object') {
    for (const [key, value] of Object.entries(custom)) if (shown(value) && !(key in out)) out[key] = String(value);
  }
  return out;
}

export function ContactSidebar({ conversation, messages, contact, pastConversations, open, onClose }: SidebarProps) {
  const { search } = useLocation();
  const ai = detected(conversation, messages);
  const attributes = Object.entries(contact?.attributes ?? {}).filter(([, v]) => shown(v));
  // Tags are the contact's own; labels come from its conversations.
  const tags = [...new Set([...(contact?.tags ?? []), ...(contact?.labels ?? [])])];
  return (
    <aside id="contact-sidebar" className={open ? 'contact-sidebar open' : 'contact-sidebar'} aria-label="Contact details" data-testid="contact-sidebar">
      <div className="sidebar-head">
        <h3>{contactLabel(conversation.contact)}</h3>
        <button type="button" className="button ghost sidebar-close" onClick={onClose} aria-label="Hide contact details">
          ×
        </button>
      </div>

      <Section title="Identities" testId="contact-identities">
        {contact?.identities.length ? (
          <ul className="plain-list">
            {contact.identities.map((i) => (
              <li key={`${i.kind}:${i.address}`} data-testid="contact-identity">
                <ChannelBadge channel={i.kind} />{' '}
                {/* A widget visitor is known by a random id, which says nothing to a person. */}
                {i.kind === 'widget' ? (
                  <span className="identity-address muted" title={i.address}>
                    Website visitor
                  </span>
                ) : (
                  <span className="identity-address">{i.address}</span>
                )}
                {i.status !== 'ok' ? (
                  <span className="badge warn" title={i.statusDetail ?? undefined}>
                    {i.status}
                  </span>
                ) : null}
              </li>
            ))}
          </ul>
        ) : (
          <Fallback loaded={!!contact} empty="No identities recorded." />
        )}
        {contact?.marketingOptOuts?.length ? <p className="muted small">Opted out of marketing on: {contact.marketingOptOuts.join(', ')}</p> : null}
      </Section>

      <Section title="Detected by the AI" testId="contact-ai-attributes">
        {Object.keys(ai).length ? (
          <dl className="kv">
            {Object.entries(ai).map(([key, value]) => (
              <div key={key} data-testid={`ai-${key}`}>
                <dt>{key}</dt>
                <dd>
                  <span className={`badge detected detected-${key}-${value.toLowerCase()}`}>{detectedLabel(key, value)}</span>
                </dd>
              </div>
            ))}
          </dl>
        ) : (
          <p className="muted small">Nothing detected yet.</p>
        )}
      </Section>

      <Section title="Attributes" testId="contact-attributes">
        {attributes.length || contact?.email || contact?.phone ? (
          <dl className="kv">
            {contact?.email ? <KV k="email" v={contact.email} /> : null}
            {contact?.phone ? <KV k="phone" v={contact.phone} /> : null}
            {attributes.map(([k, v]) => (
              <KV key={k} k={k} v={String(v)} />
            ))}
          </dl>
        ) : (
          <Fallback loaded={!!contact} empty="No attributes." />
        )}
      </Section>

      <Section title="Labels" testId="contact-labels">
        {tags.length ? (
          <ul className="label-chips">
            {tags.map((t) => (
              <li key={t} className="label-chip static">
                {t}
              </li>
            ))}
          </ul>
        ) : (
          <Fallback loaded={!!contact} empty="No labels on this contact." />
        )}
      </Section>

      <Section title="Past conversations" testId="contact-past-conversations">
        {pastConversations?.length ? (
          <ul className="plain-list past-conversations">
            {pastConversations.map((c) => (
              <li key={c.id}>
                <Link to={{ pathname: `/inbox/${c.id}`, search }} data-testid="past-conversation">
                  <ChannelBadge channel={c.channel} /> <StatusBadge status={c.status} /> <Time value={c.lastMessageAt ?? c.createdAt} withDate />
                  {c.lastMessage ? <span className="preview small">{c.lastMessage.content}</span> : null}
                </Link>
              </li>
            ))}
          </ul>
        ) : (
          <Fallback loaded={pastConversations !== null} empty="No other conversations." />
        )}
      </Section>
    </aside>
  );
}

function Section({ title, testId, children }: { title: string; testId: string; children: React.ReactNode }) {
  return (
    <section className="sidebar-section" data-testid={testId}>
      <h4>{title}</h4>
      {children}
    </section>
  );
}

function KV({ k, v }: { k: string; v: string }) {
  return (
    <div>
      <dt>{k}</dt>
      <dd>{v}</dd>
    </div>
  );
}

function Fallback({ loaded, empty }: { loaded: boolean; empty: string }) {
  return <p className="muted small">{loaded ? empty : 'Not available right now.'}</p>;
}
