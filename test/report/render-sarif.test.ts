import { describe, expect, it } from 'vitest';
import { renderSarif } from '../../core/report/render-sarif.js';
import { sampleReport } from '../task/sample-report.js';

interface SarifLog {
  version: string;
  runs: Array<{
    tool: {
      driver: {
        name: string;
        version?: string;
        rules: Array<{
          id: string;
          defaultConfiguration: { level: string };
          properties: Record<string, string>;
        }>;
      };
    };
    invocations: Array<{
      executionSuccessful: boolean;
      toolExecutionNotifications?: Array<{ message: { text: string } }>;
    }>;
    results: Array<{
      ruleId: string;
      ruleIndex: number;
      level: string;
      message: { text: string };
      locations: Array<{
        logicalLocations: Array<{ fullyQualifiedName: string; name: string; kind: string }>;
      }>;
      partialFingerprints: Record<string, string>;
    }>;
  }>;
}

describe('renderSarif', () => {
  it('writes one rule per rule id and one result per change or finding, located at the resource id', () => {
    const log = JSON.parse(renderSarif(sampleReport(), { toolVersion: '0.1.0' })) as SarifLog;
    const run = log.runs[0]!;

    expect(log.version).toBe('2.1.0');
    expect(run.tool.driver.name).toBe('driftwatch');
    expect(run.tool.driver.version).toBe('0.1.0');
    expect(
      run.tool.driver.rules.map((r) => [
        r.id,
        r.defaultConfiguration.level,
        r.properties['security-severity'],
      ]),
    ).toEqual([
      ['nsg-mgmt-port-open-to-any', 'error', '9.5'],
      ['tag-changed', 'note', '2.0'],
      ['resource-added', 'warning', '5.5'],
      ['resource-unknown', 'note', '0.0'],
    ]);
    expect(run.results.map((r) => [r.ruleId, r.ruleIndex, r.level])).toEqual([
      ['nsg-mgmt-port-open-to-any', 0, 'error'],
      ['tag-changed', 1, 'note'],
      ['resource-added', 2, 'warning'],
      ['resource-unknown', 3, 'note'],
    ]);
    expect(run.results[0]?.message.text).toBe(
      'nsg-web-prod: properties.securityRules[allow-ssh].properties.sourceAddressPrefix changed from 10.10.0.4/32 to *. SSH reachable from anywhere',
    );
    expect(run.results[3]?.message.text).toBe(
      'web (Microsoft.Web/sites/config) was unknown: 403 AuthorizationFailed. could not be read',
    );
    expect(run.results[0]?.locations[0]?.logicalLocations[0]).toEqual({
      fullyQualifiedName:
        '/subscriptions/00000000-0000-4000-8000-000000000001/resourceGroups/rg-web/providers/Microsoft.Network/networkSecurityGroups/nsg-web-prod',
      name: 'nsg-web-prod',
      kind: 'resource',
    });
    expect(run.results[1]?.partialFingerprints).toEqual({ 'driftwatch/v1': 'fp-nsg:tags.owner' });
    expect(run.invocations[0]?.executionSuccessful).toBe(true);
  });

  it('says the run was incomplete', () => {
    const log = JSON.parse(renderSarif(sampleReport(undefined, false))) as SarifLog;

    expect(log.runs[0]?.invocations[0]).toMatchObject({
      executionSuccessful: false,
      toolExecutionNotifications: [
        { message: { text: 'the collection was incomplete: 1 resource(s) could not be read' } },
      ],
    });
  });

  it('writes an empty result list when there is no drift', () => {
    const log = JSON.parse(renderSarif(sampleReport([]))) as SarifLog;

    expect(log.runs[0]?.results).toEqual([]);
    expect(log.runs[0]?.tool.driver.rules).toEqual([]);
  });
});
