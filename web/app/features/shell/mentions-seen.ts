/**
 * When this browser last opened the mentions list, per user, as the `createdAt` of the newest
 * mention it showed: the server's clock, so a skewed browser clock cannot hide or repeat mentions.
 * Kept in localStorage; a browser that never opened the list counts every mention as unread.
 */
const key = (userId: string) => `switchboard:mentions-seen:${userId}`;

export function readSeen(userId: string): string | null {
  try {
    return window.localStorage.getItem(key(userId));
  } catch {
    return null; // storage disabled (private mode, policy): every mention stays unread
  }
}

/** Moves the mark forward only: an older list must not make read mentions unread again. */
export function markSeen(userId: string, newest: string): void {
  const current = readSeen(userId);
  if (current && Date.parse(current) >= Date.parse(newest)) return;
  try {
    window.localStorage.setItem(key(userId), newest);
  } catch {
    // as in readSeen
  }
}

/** Whether a storage event (another tab opened the list) concerns this user's mark. */
export const isSeenKey = (storageKey: string | null, userId: string) => storageKey === key(userId);

export const isNewer = (createdAt: string, seen: string | null) => !seen || Date.parse(createdAt) > Date.parse(seen);
