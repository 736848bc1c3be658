import { createHmac } from 'node:crypto';

/**
 * Slack's v0 request signature: `v0=` + hex HMAC-SHA256 of `v0:<timestamp>:<raw body>` with the
 * app's signing secret (docs.slack.dev "Verifying requests from Slack").
 */
export function signSlackRequest(input: { secret: string; body: string; timestamp: number }) {
  const base = `v0:${input.timestamp}:${input.body}`;
  const signature = `v0=${createHmac('sha256', input.secret).update(base).digest('hex')}`;
  return {
    'x-slack-signature': signature,
    'x-slack-request-timestamp': String(input.timestamp),
  };
}

/**
 * POSTs a signed request to the app as Slack does: slash commands as form fields, interactive
 * payloads as a form field `payload` holding JSON. `nowSeconds` is the signer's clock.
 */
export async function sendSignedRequest(input: {
  url: string;
  secret: string;
  nowSeconds: number;
  form: Record<string, string>;
  /** Overrides for forged-request tests. */
  signature?: string;
}): Promise<{ status: number; body: string }> {
  const body = new URLSearchParams(input.form).toString();
  const headers = signSlackRequest({ secret: input.secret, body, timestamp: input.nowSeconds });
  if (input.signature) headers['x-slack-signature'] = input.signature;
  const response = await fetch(input.url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body,
  });
  return { status: response.status, body: await response.text() };
}
