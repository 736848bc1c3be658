import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createPipelineRequest } from '@azure/core-rest-pipeline';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpClient } from '../../core/collect/create-http-client.js';
import { createSelfSignedCert } from '../sim/arm/create-self-signed-cert.js';

describe('createHttpClient with a private CA', () => {
  const servers: Server[] = [];
  afterEach(async () => {
    for (const s of servers.splice(0))
      await new Promise<void>((done) => {
        s.closeAllConnections();
        s.close(() => done());
      });
  });

  async function serve(): Promise<{ url: string; caPem: string; connections: () => number }> {
    const { keyPem, certPem } = createSelfSignedCert();
    let connections = 0;
    const server = createServer({ key: keyPem, cert: certPem }, (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
    server.on('secureConnection', () => {
      connections += 1;
    });
    servers.push(server);
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()));
    const { port } = server.address() as AddressInfo;
    return { url: `https://127.0.0.1:${port}/`, caPem: certPem, connections: () => connections };
  }

  it('reads from a server whose certificate is the given CA, over one kept-alive connection', async () => {
    const server = await serve();
    const client = createHttpClient({ caPem: server.caPem });

    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) {
      const response = await client.sendRequest(createPipelineRequest({ url: server.url }));
      statuses.push(response.status);
    }

    expect(statuses).toEqual(Array(20).fill(200));
    expect(server.connections()).toBe(1);
  });

  it('keys its socket pool by host and port, not by the ~140 trusted certificates', async () => {
    // The pool key is computed on every request: with the certificates in it, it was a ~200 KB
    // string joined per request, most of a soak worker's CPU.
    const server = await serve();
    const client = createHttpClient({ caPem: server.caPem });
    const request = createPipelineRequest({ url: server.url });

    await client.sendRequest(request);

    const agent = request.agent as unknown as { freeSockets: Record<string, unknown> };
    expect(Object.keys(agent.freeSockets)).toHaveLength(1);
    expect((Object.keys(agent.freeSockets)[0] as string).length).toBeLessThan(100);
  });

  it('refuses a server whose certificate it was not given', async () => {
    const trusted = await serve();
    const other = await serve();
    const client = createHttpClient({ caPem: trusted.caPem });

    await expect(
      client.sendRequest(createPipelineRequest({ url: other.url })),
    ).rejects.toMatchObject({ code: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
  });
});
