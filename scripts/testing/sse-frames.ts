/** One server-sent event: its name (`message` when unnamed), id and data as sent. */
export interface SseFrame {
  event: string;
  id?: string;
  data: string;
}

/** Collects the frames of an SSE response as they arrive, until `stop` is called. */
export function readFrames(res: Response) {
  const frames: SseFrame[] = [];
  const reader = res.body!.getReader();
  const done = (async () => {
    const decoder = new TextDecoder();
    let buf = '';
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
      if (done) return;
      buf += decoder.decode(value, { stream: true });
      let i;
      while ((i = buf.indexOf('\n\n')) >= 0) {
        const frame = buf.slice(0, i);
        buf = buf.slice(i + 2);
        frames.push({ event: /^event: (.*)$/m.exec(frame)?.[1] ?? 'message', id: /^id: (.*)$/m.exec(frame)?.[1], data: /^data: (.*)$/m.exec(frame)?.[1] ?? '' });
      }
    }
  })();
  return { frames, stop: async () => (await reader.cancel(), await done.catch(() => {})) };
}
