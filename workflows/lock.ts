/**
 * Serialises async update handlers and the main loop inside one workflow, so a handler never
 * observes a half-applied change. Deterministic: FIFO order follows the order of calls.
 */
export class Lock {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(fn);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
