import type { IncomingMessage } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createSelfSignedCert } from '../sim/arm/create-self-signed-cert.js';

/** A request the fake endpoint received. */
export interface OidcRequestSeen {
  method?: string;
  url?: string;
  headers: IncomingMessage['headers'];
}

/**
 * Azure Pipelines' OIDC token endpoint on loopback over HTTPS (its own self-signed certificate):
 * answers every POST with `reply` and remembers what it was asked.
 */
export async function startFakeOidcEndpoint(reply: { status: number; body: string }) {
  const { keyPem, certPem } = createSelfSignedCert();
  const seen: OidcRequestSeen[] = [];
  const server = createServer({ key: keyPem, cert: certPem }, (req, res) => {
    seen.push({ method: req.method, url: req.url, headers: req.headers });
    res.writeHead(reply.status, { 'content-type': 'application/json' }).end(reply.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `https://127.0.0.1:${port}`,
    url: `https://127.0.0.1:${port}/org/proj/_apis/distributedtask/hubs/build/plans/p1/jobs/j1/oidctoken`,
    caPem: certPem,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
