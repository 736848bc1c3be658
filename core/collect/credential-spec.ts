/**
 * A host-neutral description of how to authenticate to Azure. The CLI builds it from config and
 * environment, the pipeline task from its service connection; `core/collect` turns it into an
 * `@azure/identity` credential. Secret fields are registered with the sanitiser when read.
 */
export type CredentialSpec =
  | { kind: 'default'; tenantId?: string; clientId?: string }
  | { kind: 'client-secret'; tenantId: string; clientId: string; clientSecret: string }
  | {
      kind: 'client-certificate';
      tenantId: string;
      clientId: string;
      /** PEM text containing the private key and certificate. */
      certificatePem: string;
      sendCertificateChain?: boolean;
    }
  | {
      kind: 'federated-token';
      tenantId: string;
      clientId: string;
      /** A file holding the OIDC token (AZURE_FEDERATED_TOKEN_FILE), or a function fetching it. */
      tokenFile?: string;
      getAssertion?: () => Promise<string>;
    }
  | { kind: 'managed-identity'; clientId?: string }
  | {
      kind: 'access-token';
      /** A bearer token the user already holds (e.g. from `az account get-access-token`). */
      token: string;
      expiresOn?: Date;
    };
