import type { z } from 'zod';
import type { Clock } from '../clock.js';
import type { ScanPort } from '../commands/command-ports.js';
import type { DriftwatchConfig } from '../config/config-schema.js';
import type { Remediation } from '../remediate/remediation-service.js';
import type { BaselineRecord, DriftStore } from '../store/drift-store.js';
import type { ApiPrincipal } from './api-principal.js';
import type { ScanJobs } from './scan-jobs.js';

/** Baseline versions and restore; the store's baseline history until the versions API lands. */
export interface BaselineVersionsPort {
  /** Newest first, each with its version number (1 = the oldest kept). */
  versions(scope: string): Promise<(BaselineRecord & { version: number })[]>;
  /** Makes version `version` the current baseline again, atomically; records who and why. */
  restore(input: {
    scope: string;
    version: number;
    by: string;
    reason: string;
  }): Promise<BaselineRecord & { version: number }>;
}

/** What the API's handlers need, injected by the host. */
export interface ApiDeps {
  store: DriftStore;
  config: DriftwatchConfig;
  clock: Clock;
  scan: ScanPort;
  jobs: ScanJobs;
  baselines: BaselineVersionsPort;
  remediation?: Pick<
    Remediation,
    'plan' | 'approve' | 'reject' | 'apply' | 'cancel' | 'show' | 'list'
  >;
  /** Path of the report pages (`/reports`), for the `page` links. */
  pagePath: string;
}

/** A handler's answer; the binding writes it as JSON. */
export interface ApiReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** What a handler gets: validated parameters, the caller and the ports. */
export interface RouteContext<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  principal: ApiPrincipal;
  deps: ApiDeps;
}

/** One endpoint: its path template, schemas (for validation and the OpenAPI document) and handler. */
export interface ApiRoute<
  P extends z.ZodType = z.ZodType,
  Q extends z.ZodType = z.ZodType,
  B extends z.ZodType = z.ZodType,
> {
  method: 'GET' | 'POST' | 'DELETE';
  /** Under `/api/v1`, OpenAPI style: `/drift/results/{id}`. */
  path: string;
  operationId: string;
  summary: string;
  /** What the endpoint needs at least (`change` = admin); per-scope checks happen in the handler. */
  access: 'read' | 'change';
  params?: P;
  query?: Q;
  body?: B;
  response: { status: number; schema?: z.ZodType; description: string };
  handle(context: RouteContext<z.infer<P>, z.infer<Q>, z.infer<B>>): Promise<ApiReply>;
}

/** Keeps the schema types of one route together (inference only; no runtime effect). */
export function defineRoute<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType>(
  route: ApiRoute<P, Q, B>,
): ApiRoute {
  return route as unknown as ApiRoute;
}
