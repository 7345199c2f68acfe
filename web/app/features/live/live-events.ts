import { useEffect, useRef } from 'react';
import type { LiveEventData } from './live-relevance';

/**
 * The shell's one SSE connection, shared: views that can show an event's payload at once (e.g. a
 * new message in the open thread) subscribe here instead of opening a second stream, and render
 * it before the revalidation that follows every relevant event lands.
 */
export type LiveEventName = 'conversation' | 'message' | 'note';
export type LiveListener = (name: LiveEventName, event: LiveEventData) => void;

const listeners = new Set<LiveListener>();

export function subscribeLive(listener: LiveListener): () => void {
  listeners.add(listener);
  return () => void listeners.delete(listener);
}

export function publishLive(name: LiveEventName, event: LiveEventData): void {
  for (const listener of listeners) {
    try {
      listener(name, event);
    } catch (error) {
      console.error('[live] listener failed', error);
    }
  }
}

/** Subscribes a component for its lifetime; the latest `listener` is always the one called. */
export function useLiveEvents(listener: LiveListener): void {
  const current = useRef(listener);
  current.current = listener;
  useEffect(() => subscribeLive((name, event) => current.current(name, event)), []);
}
