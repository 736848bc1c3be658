import { randomBytes } from 'node:crypto';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { StoreError } from '../../core/errors.js';
import { openStore } from '../../core/store/open-store.js';
import { simWrites } from '../sim/arm/sim-writes.js';
import { type ArmSimulator, startArmSimulator } from '../sim/arm/start-arm-simulator.js';
import { describeWithRedis, REDIS_URL } from '../support/requirements.js';
import {
  driftEstate,
  fakeClock,
  remediationConfig,
  remediationEstate,
  STORAGE_ID,
  scanScope,
  simRemediation,
} from './remediation-harness.js';

/** A TCP relay to Redis that can be cut, as a network partition or a Redis that went away. */
async function startRelay(): Promise<{
  url: string;
  cut(): Promise<void>;
  restore(): Promise<void>;
}> {
  const target = new URL(REDIS_URL);
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(Number(target.port || 6379), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => undefined);
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  return {
    url: `redis://127.0.0.1:${port}`,
    cut: async () => {
      const closed = new Promise<void>((done) => server.close(() => done()));
      for (const s of sockets) s.destroy();
      await closed;
    },
    restore: () => new Promise<void>((done) => server.listen(port, '127.0.0.1', done)),
  };
}

/** Retries `read` until the store answers again (the client reconnects with backoff). */
async function waitForAnswer<T>(read: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      return await read();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

describeWithRedis('Remediation when Redis becomes unreachable', () => {
  let sim: ArmSimulator | undefined;
  afterEach(async () => {
    await sim?.close();
  });

  it('refuses to approve and to apply, failing closed, once the connection to Redis is lost', async () => {
    sim = await startArmSimulator({ resources: remediationEstate() });
    const writes = simWrites(sim.estate);
    const relay = await startRelay();
    const clock = fakeClock();
    const namespace = `dw-rm-down-${randomBytes(4).toString('hex')}`;
    const config = remediationConfig(sim);
    const store = await openStore({ redisUrl: relay.url, namespace, clock });
    await scanScope(sim, store, config, true);
    driftEstate(sim);
    const scanned = await scanScope(sim, store, config);
    const fingerprint =
      scanned.report?.findings.find((f) => f.resourceId === STORAGE_ID)?.fingerprint ?? '';
    const remediation = simRemediation(sim, store, config, clock);
    const plan = await remediation.plan({
      scope: 'prod',
      findings: [fingerprint],
      strategy: 'revert',
      actor: { id: 'cli:ada' },
    });

    await relay.cut();
    const started = Date.now();
    const approve = await remediation
      .approve({ id: plan.id, actor: { id: 'cli:bob' } })
      .catch((e: unknown) => e);
    const apply = await remediation
      .apply({ id: plan.id, actor: { id: 'cli:ada' } })
      .catch((e: unknown) => e);
    const waited = Date.now() - started;
    // Redis comes back: the same connection answers again, and the refused calls left no trace.
    await relay.restore();
    const afterwards = await waitForAnswer(() => remediation.show(plan.id));
    await store.close();

    expect(approve).toBeInstanceOf(StoreError);
    expect((approve as Error).message).toMatch(
      /^the store cannot be reached, so nothing was approved \(remediation fails closed\): /,
    );
    expect(apply).toMatchObject({ code: 'store.unavailable' });
    expect(writes.applies).toEqual([]);
    // Told within seconds (the store must answer within storeAnswerMs, 5 s), not left hanging.
    expect(waited).toBeLessThan(12_000);
    expect(afterwards.state).toBe('pending');
    expect(afterwards.decisions).toEqual([]);
    const direct = await openStore({ redisUrl: REDIS_URL, namespace, clock });
    expect((await simRemediation(sim, direct, config, clock).show(plan.id)).state).toBe('pending');
    await direct.close();
  }, 90_000);
});
