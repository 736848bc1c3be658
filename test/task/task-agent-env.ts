import type { ArmSimulator } from '../sim/arm/start-arm-simulator.js';

export const CONNECTION = '3f1c0c4e-7a51-4f0e-9d3b-2a6f1e0c9b11';
export const SUB = '00000000-0000-4000-8000-00000000000c';

/** What the agent puts in a task's environment for a build run, with `dir` as the agent's disk. */
export function agentVariables(dir: string): Record<string, string> {
  return {
    AGENT_TEMPDIRECTORY: `${dir}/_temp`,
    SYSTEM_DEFAULTWORKINGDIRECTORY: `${dir}/s`,
    SYSTEM_TEAMFOUNDATIONCOLLECTIONURI: 'https://dev.azure.com/contoso/',
    SYSTEM_TEAMPROJECT: 'platform',
    BUILD_BUILDID: '4411',
    BUILD_BUILDNUMBER: '20261121.1',
    BUILD_DEFINITIONNAME: 'api-deploy',
    BUILD_SOURCEVERSION: '9e1c2f0d4b5a6978',
  };
}

/** ENDPOINT_* variables of an AzureRM service connection pointing at the simulator. */
export function endpointVariables(
  sim: ArmSimulator,
  scheme: string,
  auth: Record<string, string>,
  id = CONNECTION,
): Record<string, string> {
  const env: Record<string, string> = {
    [`ENDPOINT_URL_${id}`]: `${sim.url}/`,
    [`ENDPOINT_AUTH_${id}`]: JSON.stringify({ scheme, parameters: auth }),
    [`ENDPOINT_AUTH_SCHEME_${id}`]: scheme,
    [`ENDPOINT_DATA_${id}_SUBSCRIPTIONID`]: SUB,
    [`ENDPOINT_DATA_${id}_SUBSCRIPTIONNAME`]: 'Contoso Prod',
    [`ENDPOINT_DATA_${id}_ENVIRONMENT`]: 'AzureCloud',
    [`ENDPOINT_DATA_${id}_ENVIRONMENTAUTHORITYURL`]: `${sim.url}/`,
  };
  for (const [key, value] of Object.entries(auth)) {
    env[`ENDPOINT_AUTH_PARAMETER_${id}_${key.toUpperCase()}`] = value;
  }
  return env;
}

/** A service principal with a secret that the simulator's authority accepts. */
export function spnSecret(sim: ArmSimulator): Record<string, string> {
  return endpointVariables(sim, 'ServicePrincipal', {
    serviceprincipalid: 'sim-client',
    serviceprincipalkey: 'sim-secret',
    tenantid: sim.tenantId,
    authenticationType: 'spnKey',
  });
}

/** Task inputs as INPUT_<NAME> variables. */
export function inputs(values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(values).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v]),
  );
}
