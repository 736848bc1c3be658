import type { Clock } from '../clock.js';
import type { DriftStore } from '../store/drift-store.js';
import type { CollectStats } from './collect-stats.js';
import type { AzureClients } from './create-azure-clients.js';

/** What to collect: resolved from a named scope in config or from CLI flags. */
export interface CollectTarget {
  /** Named scope (`prod`) or a generated name for ad-hoc runs. */
  name: string;
  subscriptions: string[];
  /** Resource group names, looked up in every subscription of the scope. */
  resourceGroups?: string[];
  includeTypes?: string[];
  excludeTypes?: string[];
  /** Every tag must match (key case-insensitive, value case-insensitive as Resource Graph's `=~`). */
  tags?: Record<string, string>;
}

/** `graph`: Resource Graph bodies (fast); `arm`: list + GET each by id (exact). */
export type CollectVia = 'graph' | 'arm';

/** A progress event; the last one (phase `done`) carries the final counters. */
export interface CollectProgress {
  phase: 'verifying' | 'listing' | 'reading' | 'done';
  /** Resources collected so far. */
  done: number;
  /** Resources expected (known once listing is over; Resource Graph's `totalRecords`). */
  total?: number;
  errors: number;
  stats: CollectStats;
}

/** What the collectors share during one run. */
export interface CollectRun {
  target: CollectTarget;
  clients: AzureClients;
  signal?: AbortSignal;
  clock: Clock;
  store?: DriftStore;
  /** Api-versions resolved in this run, per lower-case subscription id (once per run). */
  apiVersions: Map<string, Promise<Record<string, string>>>;
  /** `done` and `total` are increments; `phase` replaces. */
  progress(update: { phase?: CollectProgress['phase']; done?: number; total?: number }): void;
}
