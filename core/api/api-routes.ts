import type { ApiRoute } from './api-route.js';
import { listBaselines, listBaselineVersions, restoreBaseline } from './routes/baseline-routes.js';
import { getHistory, getSummary } from './routes/drift-routes.js';
import {
  getRemediation,
  listRemediations,
  planRemediation,
  remediationVerbs,
} from './routes/remediation-routes.js';
import { deleteResult, getResult, listResults } from './routes/result-routes.js';
import { getScan, startScan } from './routes/scan-routes.js';

/** Every endpoint of `/api/v1`, in the order the OpenAPI document lists them. */
export const API_ROUTES: readonly ApiRoute[] = [
  listResults,
  getResult,
  deleteResult,
  getSummary,
  getHistory,
  startScan,
  getScan,
  listBaselines,
  listBaselineVersions,
  restoreBaseline,
  listRemediations,
  getRemediation,
  planRemediation,
  ...remediationVerbs,
];
