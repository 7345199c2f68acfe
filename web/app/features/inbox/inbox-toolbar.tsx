import { Form, Link, useLocation, useNavigate } from '@remix-run/react';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { ConversationList } from '~/api.server';
import { channelName } from './badges';
import type { InboxOptions } from './inbox-api.server';
import { activeFilterCount, filterKeys, inboxChannels, inboxViews, viewLabels, withQuery, type InboxQuery } from './inbox-query';
import { SEARCH_INPUT_ID } from './keyboard-shortcuts';
import { statusTabs } from './status-filter';

const SEARCH_DEBOUNCE_MS = 300;

interface Props {
  query: InboxQuery;
  counts: ConversationList['counts'] | null;
  options: InboxOptions;
}

/**
 * Search, views, status and filters. Every change becomes a navigation to the same path with a
 * new query string, so the open conversation stays open and the state is shareable.
 */
export function InboxToolbar({ query, counts, options }: Props) {
  const { pathname } = useLocation();
  const navigate = useNavigate();
  const form = useRef<HTMLFormElement>(null);
  const typing = useRef<ReturnType<typeof setTimeout>>();
  const active = activeFilterCount(query) - (query.q ? 1 : 0);
  const [showFilters, setShowFilters] = useState(active > 0);

  const apply = (replace: boolean) => {
    clearTimeout(typing.current);
    if (!form.current) return;
    const fields = new FormData(form.current);
    const value = (key: string) => String(fields.get(key) ?? '');
    const patch = Object.fromEntries([...filterKeys, 'q', 'status'].map((key) => [key, value(key)]));
    navigate(pathname + withQuery(query, patch), { replace, preventScrollReset: true });
  };
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    apply(false);
  };
  useEffect(() => () => clearTimeout(typing.current), []);
  // Follow the URL (back button, "Clear filters") but never overwrite what is being typed.
  const search = useRef<HTMLInputElement>(null);
  useEffect(() => {
    const input = search.current;
    if (input && document.activeElement !== input && input.value !== query.q) input.value = query.q;
  }, [query.q]);

  return (
    <div className="inbox-toolbar">
      {/* A plain GET form as well, so search and filters work before the scripts load. */}
      <Form ref={form} method="get" action={pathname} onSubmit={onSubmit} className="inbox-filters" role="search" data-testid="inbox-filters">
        <input type="hidden" name="view" value={query.view} />
        <div className="search-row">
          <input
            id={SEARCH_INPUT_ID}
            name="q"
            type="search"
            ref={search}
            defaultValue={query.q}
            placeholder="Search  ( / )"
            aria-label="Search conversations by contact or message text"
            autoComplete="off"
            maxLength={200}
            onChange={() => {
              clearTimeout(typing.current);
              typing.current = setTimeout(() => apply(true), SEARCH_DEBOUNCE_MS);
            }}
            onKeyDown={(event) => {
              if (event.key === 'Escape') event.currentTarget.blur();
            }}
            data-testid="inbox-search"
          />
          <select name="status" value={query.status} onChange={() => apply(false)} aria-label="Status" data-testid="status-filter">
            {statusTabs.map((status) => (
              <option key={status} value={status}>
                {status === 'all' ? 'Any status' : status[0]!.toUpperCase() + status.slice(1)}
              </option>
            ))}
          </select>
          <button
            type="button"
            className={active > 0 ? 'button filter-toggle has-filters' : 'button filter-toggle'}
            aria-expanded={showFilters}
            aria-controls="inbox-filter-panel"
            onClick={() => setShowFilters((v) => !v)}
            data-testid="filter-toggle"
          >
            Filters{active > 0 ? ` (${active})` : ''}
          </button>
        </div>
        <div id="inbox-filter-panel" className="filter-panel" hidden={!showFilters}>
          <FilterSelect name="channel" label="Channel" value={query.channel} onChange={() => apply(false)}
            options={inboxChannels.map((c) => ({ value: c, label: channelName(c) }))} />
          <FilterSelect name="label" label="Label" value={query.label} onChange={() => apply(false)}
            options={withCurrent(options.labels.map((l) => ({ value: l, label: l })), query.label)} />
          <FilterSelect name="assigneeId" label="Assignee" value={query.assigneeId} onChange={() => apply(false)}
            options={withCurrent(options.users.map((u) => ({ value: u.id, label: u.name })), query.assigneeId)} />
          <FilterSelect name="teamId" label="Team" value={query.teamId} onChange={() => apply(false)}
            options={withCurrent(options.teams.map((t) => ({ value: t.id, label: t.name })), query.teamId)} />
          {activeFilterCount(query) > 0 ? (
            <Link to={pathname + withQuery(query, { channel: '', label: '', assigneeId: '', teamId: '', q: '' })} className="clear-filters" data-testid="clear-filters">
              Clear filters
            </Link>
          ) : null}
          <noscript>
            <button type="submit" className="button">Apply</button>
          </noscript>
        </div>
      </Form>
      <nav className="view-tabs" aria-label="Views" data-testid="view-tabs">
        {inboxViews.map((view) => (
          <Link
            key={view}
            to={pathname + withQuery(query, { view })}
            preventScrollReset
            className={view === query.view ? 'tab active' : 'tab'}
            aria-current={view === query.view ? 'page' : undefined}
            data-testid={`view-tab-${view}`}
          >
            {viewLabels[view]}
            {counts ? (
              <span className="count" data-testid={`view-count-${view}`}>
                {formatCount(counts[view])}
              </span>
            ) : null}
          </Link>
        ))}
      </nav>
    </div>
  );
}

interface Option {
  value: string;
  label: string;
}

function FilterSelect({ name, label, value, options, onChange }: { name: string; label: string; value: string; options: Option[]; onChange: () => void }) {
  return (
    <label className="filter">
      <span className="filter-label">{label}</span>
      <select name={name} value={value} onChange={onChange} data-testid={`filter-${name}`}>
        <option value="">Any</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );
}

/** Keeps a value from the URL selectable even when the options list does not (yet) include it. */
function withCurrent(options: Option[], current: string): Option[] {
  return !current || options.some((o) => o.value === current) ? options : [...options, { value: current, label: current }];
}

const formatCount = (n: number) => (n >= 1000 ? `${Math.floor(n / 100) / 10}k` : String(n));
