import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { PROJECT_ROOT } from '../support/requirements.js';

const docs = parseAllDocuments(
  readFileSync(resolve(PROJECT_ROOT, 'manifests/kubernetes/driftwatch-bot.yaml'), 'utf8'),
);
type Doc = {
  kind: string;
  metadata: { name: string };
  spec?: Record<string, unknown>;
  data?: Record<string, string>;
  stringData?: Record<string, string>;
};
const byKind = (kind: string) => docs.map((d) => d.toJS() as Doc).find((d) => d.kind === kind);

describe('the Kubernetes manifest for the bot', () => {
  it('parses as YAML without errors', () => {
    expect(docs.flatMap((d) => d.errors.map((e) => e.message))).toEqual([]);
    expect(docs.map((d) => (d.toJS() as Doc).kind)).toEqual([
      'ConfigMap',
      'Secret',
      'Deployment',
      'Service',
    ]);
  });

  it('runs two replicas of `driftwatch bot` with health probes on the bot’s own routes', () => {
    const deployment = byKind('Deployment') as Doc & {
      spec: {
        replicas: number;
        template: {
          spec: {
            containers: Array<{
              args: string[];
              readinessProbe: { httpGet: { path: string } };
              livenessProbe: { httpGet: { path: string } };
            }>;
          };
        };
      };
    };
    const [container] = deployment.spec.template.spec.containers;
    expect(deployment.spec.replicas).toBe(2);
    expect(container?.args.slice(0, 1)).toEqual(['bot']);
    expect([container?.readinessProbe.httpGet.path, container?.livenessProbe.httpGet.path]).toEqual(
      ['/readyz', '/healthz'],
    );
  });

  it('shares Redis between replicas and names every variable the bot requires', () => {
    expect(Object.keys(byKind('Secret')?.stringData ?? {}).sort()).toEqual([
      'REDIS_URL',
      'SLACK_BOT_TOKEN',
      'SLACK_SIGNING_SECRET',
    ]);
  });

  it('ships a configuration the config loader accepts', async () => {
    const { parseConfig } = await import('../../core/config/load-config.js');
    const { parse } = await import('yaml');
    const text = byKind('ConfigMap')?.data?.['driftwatch.config.yaml'] ?? '';
    expect(() => parseConfig(parse(text), 'ConfigMap driftwatch-config')).not.toThrow();
  });
});

describe('the Slack app manifest', () => {
  const manifest = parseAllDocuments(
    readFileSync(resolve(PROJECT_ROOT, 'manifests/slack/manifest.yml'), 'utf8'),
  )[0]?.toJS() as {
    features: { slash_commands: Array<{ command: string; url: string }> };
    oauth_config: { scopes: { bot: string[] } };
    settings: {
      interactivity: { is_enabled: boolean; request_url: string };
      socket_mode_enabled: boolean;
    };
  };

  it('routes the slash command and interactivity to the bot’s /slack/events', () => {
    expect(
      manifest.features.slash_commands.map((c) => [c.command, new URL(c.url).pathname]),
    ).toEqual([['/drift', '/slack/events']]);
    expect(new URL(manifest.settings.interactivity.request_url).pathname).toBe('/slack/events');
    expect([
      manifest.settings.interactivity.is_enabled,
      manifest.settings.socket_mode_enabled,
    ]).toEqual([true, false]);
  });

  it('asks for the fewest bot scopes that work', () => {
    expect(manifest.oauth_config.scopes.bot).toEqual(['commands', 'chat:write', 'usergroups:read']);
  });
});
