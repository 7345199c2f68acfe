/** What survives page loads so a returning visitor lands in the same conversation. */
export interface StoredSession {
  visitorId: string | null;
  sessionToken: string | null;
  email: string | null;
}

const EMPTY: StoredSession = { visitorId: null, sessionToken: null, email: null };

/**
 * Keyed by widget key so two workspaces embedded on one domain never share a visitor. Storage can
 * throw (Safari private mode, sandboxed iframes, disabled cookies); the widget then still works for
 * the current page, it just forgets the visitor on reload.
 */
export class SessionStore {
  private readonly key: string;
  private memory: StoredSession = { ...EMPTY };

  constructor(widgetKey: string) {
    this.key = `switchboard:widget:${widgetKey}`;
    this.memory = this.read();
  }

  get(): StoredSession {
    return { ...this.memory };
  }

  update(patch: Partial<StoredSession>): StoredSession {
    this.memory = { ...this.memory, ...patch };
    try {
      localStorage.setItem(this.key, JSON.stringify(this.memory));
    } catch {
      // See class comment: in-memory state is the fallback.
    }
    return this.get();
  }

  private read(): StoredSession {
    try {
      const raw = localStorage.getItem(this.key);
      if (!raw) return { ...EMPTY };
      const parsed = JSON.parse(raw) as Partial<Record<keyof StoredSession, unknown>>;
      const str = (v: unknown) => (typeof v === 'string' && v.length > 0 ? v : null);
      return { visitorId: str(parsed.visitorId), sessionToken: str(parsed.sessionToken), email: str(parsed.email) };
    } catch {
      return { ...EMPTY };
    }
  }
}
