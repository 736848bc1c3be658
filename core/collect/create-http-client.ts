import { Agent } from 'node:https';
import { rootCertificates } from 'node:tls';
import { createDefaultHttpClient, type HttpClient } from '@azure/core-rest-pipeline';

/**
 * An SDK HTTP client that also trusts `caPem` (a private CA or the ARM simulator's self-signed
 * certificate) without touching the process: `NODE_EXTRA_CA_CERTS` is read only at start-up, so
 * in-process callers pass the CA here instead. Keep-alive sockets serve the many small GETs.
 */
export function createHttpClient(
  options: { caPem?: string; maxSockets?: number } = {},
): HttpClient {
  const base = createDefaultHttpClient();
  if (!options.caPem) return base;
  const agent = new Agent({
    ca: [...rootCertificates, options.caPem],
    keepAlive: true,
    maxSockets: options.maxSockets ?? 64,
  });
  return {
    sendRequest(request) {
      request.agent ??= agent;
      return base.sendRequest(request);
    },
  };
}
