import { describe, expect, it } from 'vitest';
import { redactSecrets, registerSecret } from '../../core/redact/redact-secrets.js';

describe('redactSecrets', () => {
  it.each([
    ['a bearer header', 'Authorization: Bearer abc.def-ghi_jkl', 'Authorization: Bearer ***'],
    ['a JWT', 'token eyJhbGciOi.eyJzdWIiOiIx.c2lnbmF0dXJl here', 'token *** here'],
    ['a Slack bot token', 'xoxb-1234-5678-abcdefgh failed', '*** failed'],
    [
      'a storage connection string key',
      'DefaultEndpointsProtocol=https;AccountName=st;AccountKey=abc123==;',
      'DefaultEndpointsProtocol=https;AccountName=st;AccountKey=***;',
    ],
    [
      'a SAS signature',
      'https://st.blob.core.windows.net/c?sv=2022&sig=abcDEF%3D',
      'https://st.blob.core.windows.net/c?sv=2022&sig=***',
    ],
    ['a URL password', 'redis://default:s3cret@cache:6379', 'redis://default:***@cache:6379'],
    [
      'a JSON client secret',
      '{"clientSecret":"abc","tenant":"t"}',
      '{"clientSecret":"***","tenant":"t"}',
    ],
    ['a password field', '{"adminPassword": "hunter2"}', '{"adminPassword": "***"}'],
  ])('masks %s', (_name, input, expected) => {
    expect(redactSecrets(input)).toBe(expected);
  });

  it('masks a registered secret wherever it appears', () => {
    registerSecret('pat-value-123456');
    expect(redactSecrets('GET failed for token pat-value-123456 (401)')).toBe(
      'GET failed for token *** (401)',
    );
  });

  it('leaves ordinary text alone', () => {
    expect(redactSecrets('properties.securityRules[allow-ssh] 10.0.0.1 → *')).toBe(
      'properties.securityRules[allow-ssh] 10.0.0.1 → *',
    );
  });
});
