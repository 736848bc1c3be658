import type { Report } from '../../model/report.js';
import type { Severity } from '../../model/severity.js';

/** One scan in a scope's trend. */
export interface TrendPoint {
  reportId: string;
  /** When the scan's report was generated (ISO). */
  at: string;
  findings: number;
  bySeverity: Record<Severity, number>;
  /** Drift first seen in this scan; null for the first scan in the window (nothing to compare). */
  newFindings: number | null;
  /** Drift of the previous scan that this one no longer finds; null for the first scan. */
  resolved: number | null;
  /** Resources that could not be read in this scan. */
  unknown: number;
  /** Mean hours from first seen to resolved over the drift resolved in this scan; null when none. */
  meanHoursToResolve: number | null;
}

/** A scope's stored scans, oldest first, as the report page's trend charts show them. */
export interface ReportTrend {
  scope: string;
  points: TrendPoint[];
  /** Mean hours to resolve over every resolution in the window; null when nothing was resolved. */
  meanHoursToResolve: number | null;
}

/** Something people did about a finding: accepted it, ignored it, or asked for a remediation. */
export interface FindingEvent {
  kind: 'accepted' | 'ignored' | 'remediation';
  /** ISO time; absent when the store did not keep one. */
  at?: string;
  by: string;
  /** One line: `accepted: planned resize`, `revert plan 3f2a…: approved`. */
  text: string;
}

/**
 * Everything the report page shows, gathered from the store by {@link loadReportPageInput} (or
 * built by a host): the report itself, its scope's trend and each finding's history by
 * fingerprint. Values may come straight from Azure: the renderer sanitises and escapes them.
 */
export interface ReportPageInput {
  report: Report;
  /** The stored report's id, shown in the header and in `driftwatch report ID`. */
  reportId?: string;
  trend?: ReportTrend;
  /** Accept, ignore and remediation history, by finding fingerprint, oldest first. */
  events?: Record<string, FindingEvent[]>;
}
