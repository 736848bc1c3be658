import { execFileSync } from 'node:child_process';

/** A PEM key and self-signed certificate for `127.0.0.1` and `localhost`. */
export interface SelfSignedCert {
  keyPem: string;
  certPem: string;
}

/**
 * Generates a fresh P-256 key and a self-signed certificate with the `openssl` CLI (node:crypto
 * cannot issue X.509 certificates). Valid for two days; the certificate is its own CA, so clients
 * trust it through `NODE_EXTRA_CA_CERTS` or an https agent's `ca`.
 */
export function createSelfSignedCert(): SelfSignedCert {
  const pem = execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '2',
      '-subj',
      '/CN=driftwatch-arm-simulator',
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-keyout',
      '-',
      '-out',
      '-',
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const keyPem = /-----BEGIN PRIVATE KEY-----[\s\S]+?-----END PRIVATE KEY-----\n?/.exec(pem)?.[0];
  const certPem = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n?/.exec(pem)?.[0];
  if (!keyPem || !certPem) throw new Error('openssl did not print a key and a certificate');
  return { keyPem, certPem };
}
