/** A message the visitor wrote that the API has not acknowledged yet; kept so a reload does not lose it. */
export interface OutboxEntry {
  clientMessageId: string;
  content: string;
  createdAt: string;
}

/** What survives page loads so a returning visitor lands in the same conversation. */
export interface StoredSession {
  visitorId: string | null;
  sessionToken: string | null;
  name: string | null;
  email: string | null;
  outbox: OutboxEntry[];
}

export type KeyValueStorage = Pick<Storage, 'getItem' | 'setItem'>;

const empty = (): StoredSession => ({ visitorId: null, sessionToken: null, name: null, email: null, outbox: [] });

function defaultStorage(): KeyValueStorage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

/**
 * Keyed by widget key so two workspaces embedded on one domain never share a visitor. Storage can
 * throw (Safari private mode, sandboxed iframes, disabled cookies); the widget then still works for
 * the current page, it just forgets the visitor on reload.
 */
export class SessionStore {
  private readonly key: string;
  private memory: StoredSession;

  constructor(
    widgetKey: string,
    private readonly storage: KeyValueStorage | null = defaultStorage(),
  ) {
    this.key = `switchboard:widget:${widgetKey}`;
    this.memory = this.read();
  }

  get(): StoredSession {
    return { ...this.memory, outbox: [...this.memory.outbox] };
  }

  update(patch: Partial<StoredSession>): StoredSession {
    this.memory = { ...this.memory, ...patch };
    try {
      this.storage?.setItem(this.key, JSON.stringify(this.memory));
    } catch {
      // See class comment: in-memory state is the fallback.
    }
    return this.get();
  }

  private read(): StoredSession {
    try {
      const raw = this.storage?.getItem(this.key);
      if (!raw) return empty();
      const parsed = JSON.parse(raw) as Partial<Record<keyof StoredSession, unknown>>;
      const str = (v: unknown) => (typeof v === 'string' && v.length > 0 ? v : null);
      const outbox = Array.isArray(parsed.outbox)
        ? (parsed.outbox as Partial<OutboxEntry>[]).filter(
            (e): e is OutboxEntry => typeof e?.clientMessageId === 'string' && typeof e.content === 'string' && typeof e.createdAt === 'string',
          )
        : [];
      return { visitorId: str(parsed.visitorId), sessionToken: str(parsed.sessionToken), name: str(parsed.name), email: str(parsed.email), outbox };
    } catch {
      return empty();
    }
  }
}
