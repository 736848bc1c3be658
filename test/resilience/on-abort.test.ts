import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { abortableSleep } from '../../core/resilience/abortable-sleep.js';
import { onAbort, scopeSignal } from '../../core/resilience/on-abort.js';

describe('onAbort', () => {
  it('puts one listener on the signal however many wait, and takes it off when they leave', () => {
    const controller = new AbortController();
    const unsubscribes = Array.from({ length: 20 }, () => onAbort(controller.signal, () => {}));

    const during = getEventListeners(controller.signal, 'abort').length;
    for (const unsubscribe of unsubscribes) unsubscribe();

    expect(during).toBe(1);
    expect(getEventListeners(controller.signal, 'abort').length).toBe(0);
  });

  it('calls every waiter once on abort', () => {
    const controller = new AbortController();
    const calls: number[] = [];
    onAbort(controller.signal, () => calls.push(1));
    const leave = onAbort(controller.signal, () => calls.push(2));
    onAbort(controller.signal, () => calls.push(3));
    leave();

    controller.abort();
    controller.abort();

    expect(calls).toEqual([1, 3]);
  });
});

describe('scopeSignal', () => {
  it("aborts with the parent's reason and detaches on dispose", () => {
    const parent = new AbortController();
    const first = scopeSignal(parent.signal);
    const second = scopeSignal(parent.signal);
    second.dispose();

    parent.abort(new Error('stop'));

    expect(first.signal?.aborted).toBe(true);
    expect(first.signal?.reason).toEqual(new Error('stop'));
    expect(second.signal?.aborted).toBe(false);
  });
});

describe('abortableSleep', () => {
  it('shares one abort listener among concurrent sleeps on a signal', async () => {
    const controller = new AbortController();
    const sleeps = Array.from({ length: 15 }, () => abortableSleep(5, controller.signal));

    const during = getEventListeners(controller.signal, 'abort').length;
    await Promise.all(sleeps);

    expect(during).toBe(1);
    expect(getEventListeners(controller.signal, 'abort').length).toBe(0);
  });
});
