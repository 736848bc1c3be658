import type { ScanPort } from '../core/commands/command-ports.js';
import { SEVERITIES } from '../core/model/severity.js';
import type { BotMetrics } from './bot-metrics.js';

/** The scan port, counting scans and recording the latest findings per scope and severity. */
export function instrumentScan(scan: ScanPort, metrics: BotMetrics): ScanPort {
  return async (scope, options) => {
    try {
      const result = await scan(scope, options);
      metrics.scans.inc({ scope, outcome: result.report.complete ? 'complete' : 'incomplete' });
      if (result.requests) {
        const { sent, failed, throttled, paceWaitMs } = result.requests;
        metrics.azureRequests.inc({ outcome: 'sent' }, sent);
        metrics.azureRequests.inc({ outcome: 'failed' }, failed);
        metrics.azureRequests.inc({ outcome: 'throttled' }, throttled);
        metrics.throttleWait.inc({ reason: 'azure-pace' }, paceWaitMs / 1000);
      }
      for (const severity of SEVERITIES) {
        metrics.findings.set({ scope, severity }, result.report.summary.bySeverity[severity]);
      }
      return result;
    } catch (error) {
      metrics.scans.inc({ scope, outcome: 'failed' });
      throw error;
    }
  };
}
