import type { IncomingMessage, ServerResponse } from 'node:http';
import { SimUnknownRequest } from '../arm/sim-context.js';
import type { TeamsSimReply } from './teams-errors.js';

/**
 * Reads the whole body, runs `handler` and writes its JSON reply. A thrown `SimUnknownRequest`
 * (or any simulator bug, which is as loud) is answered 400 and recorded in `unexpected`.
 */
export function serveSimRequest(
  req: IncomingMessage,
  res: ServerResponse,
  handler: (req: IncomingMessage, raw: Buffer) => Promise<TeamsSimReply> | TeamsSimReply,
  unexpected: string[],
): void {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    void (async () => {
      let reply: TeamsSimReply;
      try {
        reply = await handler(req, Buffer.concat(chunks));
      } catch (error) {
        const known = error instanceof SimUnknownRequest;
        unexpected.push(
          `${req.method} ${req.url}: ${known ? '' : 'simulator error: '}${(error as Error).message}`,
        );
        reply = {
          status: 400,
          body: { error: { code: 'BadArgument', message: 'not understood' } },
        };
      }
      res.writeHead(reply.status, {
        'content-type': 'application/json; charset=utf-8',
        ...reply.headers,
      });
      res.end(reply.body === undefined ? '' : JSON.stringify(reply.body));
    })();
  });
}
