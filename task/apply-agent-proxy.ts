import type { TaskHost } from './task-host.js';
import { maskSecret } from './task-parameters.js';

/**
 * Sends the task's HTTPS traffic (ARM, Resource Graph, Entra, the OIDC endpoint) through the
 * agent's proxy: the Azure SDK pipeline reads HTTPS_PROXY and NO_PROXY. A proxy the job already
 * set in the environment wins. The agent's bypass list holds regexes; those that are plain host
 * names (or `.*\.` + domain) become NO_PROXY entries, the rest cannot be expressed there.
 */
export function applyAgentProxy(host: TaskHost, env: Record<string, string | undefined>): void {
  const proxy = host.proxy();
  if (!proxy || env.HTTPS_PROXY || env.https_proxy) return;
  if (proxy.password) maskSecret(host, proxy.password);
  env.HTTPS_PROXY = proxy.url;
  env.HTTP_PROXY = proxy.url;
  const hosts = proxy.bypass.map(bypassHost).filter((h): h is string => h !== undefined);
  if (hosts.length > 0) env.NO_PROXY = [env.NO_PROXY, ...hosts].filter(Boolean).join(',');
}

/** `dev\.azure\.com` → `dev.azure.com`; `.*\.contoso\.com` → `.contoso.com`; else undefined. */
export function bypassHost(pattern: string): string | undefined {
  const body = pattern.replace(/^\^/, '').replace(/\$$/, '');
  const wildcard = body.startsWith('.*\\.');
  const rest = wildcard ? body.slice(4) : body;
  if (!/^(?:[A-Za-z0-9-]|\\\.)+$/.test(rest)) return undefined;
  const name = rest.replace(/\\\./g, '.');
  return wildcard ? `.${name}` : name;
}
