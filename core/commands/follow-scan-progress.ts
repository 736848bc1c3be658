import type { Clock } from '../clock.js';
import type { PostedMessage } from '../notify/notifier.js';
import type { ChatMessage } from './chat-message.js';
import type { ScanProgress } from './command-ports.js';
import { formatCount } from './format-chat-time.js';

/** How often a scan's progress message is shown and refreshed. */
export interface ScanProgressPacing {
  /** A scan that ends sooner posts no progress message at all (default 3 s: the ack covers it). */
  afterMs?: number;
  /**
   * At most one update per this long (default 5 s). Slack's chat.update is a Tier 3 method
   * (about 50 a minute per workspace) and Teams throttles updates per conversation; a busy
   * channel with several scans stays far below both.
   */
  everyMs?: number;
}

/**
 * Where a chat shows a running scan's progress: one message in the conversation the scan was
 * asked in, posted once and then replaced in place (the host binds its notifier to the
 * conversation).
 */
export interface ScanProgressBoard extends ScanProgressPacing {
  post(message: ChatMessage): Promise<PostedMessage>;
  update(posted: PostedMessage, message: ChatMessage): Promise<void>;
  /** Told when showing progress failed (the scan goes on; its reply is sent as usual). */
  onError?: (error: unknown) => void;
}

/** A scan's progress as followed in chat: pass `onProgress` to the scan, then `finish`. */
export interface FollowedScan {
  onProgress(progress: ScanProgress): void;
  /** Replaces the progress message, if one was posted, with how the scan ended. */
  finish(outcome: { resources: number; durationMs?: number } | { failed: true }): Promise<void>;
}

/**
 * Follows a scan in chat: once it has run for `afterMs`, posts "Scanning prod · collected 31,400
 * / 50,000", then updates that message at most every `everyMs` with the latest count (updates
 * never overlap; counts that arrive meanwhile are folded into the next), and at the end says how
 * it ended. Progress is a courtesy: a failed post or update is reported to `onError` and never
 * fails the scan.
 *
 * @example
 * const followed = followScanProgress('prod', board, clock);
 * const result = await scan('prod', { onProgress: followed.onProgress });
 * await followed.finish({ resources: result.report.summary.resources });
 */
export function followScanProgress(
  scope: string,
  board: ScanProgressBoard,
  clock: Clock,
): FollowedScan {
  const afterMs = board.afterMs ?? 3_000;
  const everyMs = board.everyMs ?? 5_000;
  const started = clock.now().getTime();
  let posted: Promise<PostedMessage | undefined> | undefined;
  let busy: Promise<void> = Promise.resolve();
  let lastShownAt = Number.NEGATIVE_INFINITY;
  let shown = '';
  let latest: ScanProgress | undefined;
  let finished = false;

  const guard = async <T>(work: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await work();
    } catch (error) {
      board.onError?.(error);
      return undefined;
    }
  };

  const show = (message: ChatMessage) => {
    shown = message.text;
    lastShownAt = clock.now().getTime();
    if (!posted) {
      posted = guard(() => board.post(message));
      busy = posted.then(() => undefined);
      return;
    }
    const at = posted;
    busy = busy.then(async () => {
      const where = await at;
      if (where) await guard(() => board.update(where, message));
    });
  };

  return {
    onProgress(progress) {
      if (finished) return;
      latest = progress;
      const now = clock.now().getTime();
      if (now - started < afterMs || now - lastShownAt < everyMs) return;
      const message = progressMessage(scope, latest);
      if (message.text !== shown) show(message);
    },
    async finish(outcome) {
      finished = true;
      if (!posted) return;
      const line =
        'failed' in outcome
          ? `Scan of ${scope} did not finish${latest ? ` (${collected(latest)})` : ''}.`
          : `Scanned ${scope}: ${formatCount(outcome.resources)} resources${outcome.durationMs !== undefined ? ` in ${formatSeconds(outcome.durationMs)}` : ''}.`;
      show({
        visibility: 'channel',
        text: line,
        tone: 'failed' in outcome ? 'error' : 'neutral',
        blocks: [{ kind: 'text', text: line }],
      });
      await busy;
    },
  };
}

/** The progress message: "Scanning prod · collected 31,400 / 50,000". */
export function progressMessage(scope: string, progress: ScanProgress): ChatMessage {
  const line = `Scanning ${scope} · ${collected(progress)}`;
  return {
    visibility: 'channel',
    text: line,
    tone: 'neutral',
    blocks: [{ kind: 'text', text: line }],
  };
}

function collected(progress: ScanProgress): string {
  const total = progress.total !== undefined ? ` / ${formatCount(progress.total)}` : '';
  const errors = progress.errors > 0 ? ` · ${formatCount(progress.errors)} unreadable so far` : '';
  return `collected ${formatCount(progress.done)}${total}${errors}`;
}

function formatSeconds(ms: number): string {
  return ms < 60_000 ? `${Math.max(1, Math.round(ms / 1000))} s` : `${Math.round(ms / 60_000)} min`;
}
