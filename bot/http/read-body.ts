import type { IncomingMessage } from 'node:http';
import { UsageError } from '../../core/errors.js';

/** Bot Framework activities and API bodies are small; Teams caps a card at 28 KB. */
const DEFAULT_LIMIT_BYTES = 1_048_576;

/**
 * Reads a request body up to `limitBytes` and parses it as JSON. Throws a {@link UsageError}
 * (`usage.body-too-large`, `usage.body-not-json`) that a route answers with 413 or 400; the rest
 * of an oversized body is not read.
 *
 * @example
 * const activity = await readJsonBody(req);
 */
export async function readJsonBody(
  req: IncomingMessage,
  options: { limitBytes?: number } = {},
): Promise<unknown> {
  const limit = options.limitBytes ?? DEFAULT_LIMIT_BYTES;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      throw new UsageError('usage.body-too-large', `the request body is over ${limit} bytes`, {
        details: { status: 413 },
      });
    }
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch (error) {
    throw new UsageError('usage.body-not-json', 'the request body is not JSON', {
      cause: error,
      details: { status: 400 },
    });
  }
}
