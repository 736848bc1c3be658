import { randomBytes } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { ScanPort, ScanProgress } from '../commands/command-ports.js';
import { isDriftwatchError } from '../errors.js';
import { redactSecrets } from '../redact/redact-secrets.js';
import type { DriftStore } from '../store/drift-store.js';
import { ApiError } from './api-error.js';

/** A scan started through the API, as `GET /scans/{id}` shows it. */
export interface ScanJobRecord {
  id: string;
  scope: string;
  state: 'queued' | 'running' | 'succeeded' | 'failed';
  requestedBy: string;
  requestedAt: string;
  startedAt?: string;
  finishedAt?: string;
  progress?: { phase: string; done: number; total?: number; errors: number };
  resultId?: string;
  findings?: number;
  error?: { code: string; message: string };
}

/** Starts scans as jobs and reports on them; records live in the store, so any replica answers. */
export interface ScanJobs {
  /** Starts a scan of `scope`; refuses with `conflict` while one started here runs for it. */
  start(scope: string, requestedBy: string): Promise<ScanJobRecord>;
  get(id: string): Promise<ScanJobRecord | undefined>;
  /** Resolves when every job this process started has finished (shutdown, tests). */
  idle(): Promise<void>;
}

/** Job records are kept a week. */
const JOB_TTL_MS = 7 * 86_400_000;
/**
 * A running scan holds its scope's lock for this long and renews it every {@link HEARTBEAT_MS}:
 * when its process stops, the lock lapses within minutes, the job reads as interrupted and the
 * scope can be scanned again.
 */
const LOCK_TTL_MS = 3 * 60_000;
const HEARTBEAT_MS = 60_000;
/** Progress is written to the store at most this often (plus phase changes). */
const PROGRESS_EVERY_MS = 1_000;

/**
 * Scan jobs over the host's {@link ScanPort}: the job record (state, progress, result id) in a
 * store key-value area, one running scan per scope across replicas (an atomic `setIfAbsent`
 * lock), the scan itself in this process.
 *
 * @example
 * const jobs = createScanJobs({ store, scan, clock });
 * const job = await jobs.start('prod', 'api-key:ci');
 */
export function createScanJobs(options: {
  store: DriftStore;
  scan: ScanPort;
  clock: Clock;
  newId?: () => string;
}): ScanJobs {
  const records = options.store.keyValue<ScanJobRecord>('api-scan-jobs');
  const locks = options.store.keyValue<string>('api-scan-locks');
  const running = new Set<Promise<void>>();
  const now = () => options.clock.now().toISOString();
  const patch = (id: string, change: Partial<ScanJobRecord>) =>
    records.update(id, (current) => (current ? { ...current, ...change } : current), JOB_TTL_MS);

  const run = async (job: ScanJobRecord): Promise<void> => {
    const lockKey = job.scope.toLowerCase();
    let lastWrite = 0;
    let lastPhase = '';
    const heartbeat = setInterval(() => {
      // Rewriting the holder renews its TTL; a lock that lapsed (or another job's) is not taken.
      void locks.update(lockKey, (holder) => holder, LOCK_TTL_MS).catch(() => undefined); // a missed renewal is retried on the next beat
    }, HEARTBEAT_MS);
    heartbeat.unref();
    try {
      await patch(job.id, { state: 'running', startedAt: now() });
      const result = await options.scan(job.scope, {
        onProgress: (progress: ScanProgress) => {
          const at = options.clock.now().getTime();
          if (progress.phase === lastPhase && at - lastWrite < PROGRESS_EVERY_MS) return;
          lastPhase = progress.phase;
          lastWrite = at;
          const { phase, done, total, errors } = progress;
          void patch(job.id, {
            progress: { phase, done, errors, ...(total !== undefined ? { total } : {}) },
          }).catch(() => undefined); // progress is best effort; the final state is not
        },
      });
      await patch(job.id, {
        state: 'succeeded',
        finishedAt: now(),
        resultId: result.reportId,
        findings: result.report.summary.findings,
      });
    } catch (error) {
      await patch(job.id, {
        state: 'failed',
        finishedAt: now(),
        error: {
          code: isDriftwatchError(error) ? error.code : 'scan.failed',
          message: redactSecrets(error instanceof Error ? error.message : String(error)),
        },
      });
    } finally {
      clearInterval(heartbeat);
      await locks.update(lockKey, (holder) => (holder === job.id ? undefined : holder));
    }
  };

  return {
    async start(scope, requestedBy) {
      const id = options.newId?.() ?? `scan_${randomBytes(8).toString('hex')}`;
      const holder = await locks.setIfAbsent(scope.toLowerCase(), id, LOCK_TTL_MS);
      if (holder !== id) {
        throw new ApiError(
          'conflict',
          `a scan of ${scope} is already running (GET /api/v1/scans/${holder}); start another when it has finished`,
        );
      }
      const job: ScanJobRecord = { id, scope, state: 'queued', requestedBy, requestedAt: now() };
      await records.set(id, job, JOB_TTL_MS);
      const done = run(job).finally(() => running.delete(done));
      running.add(done);
      return job;
    },
    async get(id) {
      const job = await records.get(id);
      if (!job || (job.state !== 'queued' && job.state !== 'running')) return job;
      // An open job whose lock is gone (or another job's) lost its process: say so, once.
      if ((await locks.get(job.scope.toLowerCase())) === id) return job;
      const interrupted = await records.update(
        id,
        (current) =>
          current && (current.state === 'queued' || current.state === 'running')
            ? {
                ...current,
                state: 'failed',
                finishedAt: now(),
                error: {
                  code: 'scan.interrupted',
                  message:
                    'the process running this scan stopped before it finished; start the scan again',
                },
              }
            : current,
        JOB_TTL_MS,
      );
      return interrupted;
    },
    async idle() {
      while (running.size > 0) await Promise.all(running);
    },
  };
}
