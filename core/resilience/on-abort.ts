interface Fanout {
  callbacks: Set<() => void>;
  fire: () => void;
}

/** Callbacks per signal; each signal carries one real listener however many wait on it. */
const fanouts = new WeakMap<AbortSignal, Fanout>();

/**
 * Calls `callback` once when `signal` aborts and returns the function that unsubscribes it.
 * However many callers wait on one signal at once (a scan's requests all share the run's
 * signal), the signal itself carries a single listener: one `addEventListener` per waiter made
 * Node print `MaxListenersExceededWarning` past ten concurrent waits.
 *
 * @example
 * const unsubscribe = onAbort(signal, () => clearTimeout(timer));
 * // … later, when the wait is over:
 * unsubscribe();
 */
export function onAbort(signal: AbortSignal | undefined, callback: () => void): () => void {
  if (!signal) return () => undefined;
  let fanout = fanouts.get(signal);
  if (!fanout) {
    const callbacks = new Set<() => void>();
    const fire = () => {
      fanouts.delete(signal);
      for (const cb of [...callbacks]) cb();
    };
    fanout = { callbacks, fire };
    fanouts.set(signal, fanout);
    signal.addEventListener('abort', fire, { once: true });
  }
  const own = fanout;
  own.callbacks.add(callback);
  return () => {
    if (!own.callbacks.delete(callback) || own.callbacks.size > 0) return;
    // The last waiter left: take the one listener off, so the signal holds nothing of ours.
    signal.removeEventListener('abort', own.fire);
    if (fanouts.get(signal) === own) fanouts.delete(signal);
  };
}

/**
 * A signal of its own for one call, aborted when `parent` aborts (with its reason). What the
 * call's layers attach to it (SDK policies, retries, sockets) stays off the shared parent.
 * `dispose()` detaches it when the call is over.
 */
export function scopeSignal(parent: AbortSignal | undefined): {
  signal: AbortSignal | undefined;
  dispose(): void;
} {
  if (!parent) return { signal: undefined, dispose: () => undefined };
  const controller = new AbortController();
  if (parent.aborted) controller.abort(parent.reason);
  const dispose = onAbort(parent, () => controller.abort(parent.reason));
  return { signal: controller.signal, dispose };
}
