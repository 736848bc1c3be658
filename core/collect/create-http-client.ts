import { Agent } from 'node:https';
import { createSecureContext, rootCertificates } from 'node:tls';
import { createDefaultHttpClient, type HttpClient } from '@azure/core-rest-pipeline';

/**
 * An SDK HTTP client that also trusts `caPem` (a private CA or the ARM simulator's self-signed
 * certificate) without touching the process: `NODE_EXTRA_CA_CERTS` is read only at start-up, so
 * in-process callers pass the CA here instead. Keep-alive sockets serve the many small GETs.
 *
 * The trusted certificates go in as one secure context built here, not as the agent's `ca`: an
 * agent keys its socket pool by a name that includes `ca`, so ~140 root certificates were joined
 * into a string of ~200 KB on every request, and every new connection built a context of its
 * own from them — together most of a worker's CPU at hundreds of reads a second.
 */
export function createHttpClient(
  options: { caPem?: string; maxSockets?: number } = {},
): HttpClient {
  const base = createDefaultHttpClient();
  if (!options.caPem) return base;
  const agent = new Agent({
    secureContext: createSecureContext({ ca: [...rootCertificates, options.caPem] }),
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
