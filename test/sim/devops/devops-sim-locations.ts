/**
 * The location service the real `azure-devops-node-api` client reads before any call: `GET
 * _apis/ResourceAreas` maps a resource-area id to its base URL, then `OPTIONS _apis/<area>` lists
 * the area's resources (location id → route template). Ids and templates are the real ones the
 * SDK asks for (BuildApi.js, GitApi.js, … in azure-devops-node-api 17).
 */
export interface SimLocation {
  id: string;
  area: string;
  resourceName: string;
  routeTemplate: string;
}

export const SIM_LOCATIONS: readonly SimLocation[] = [
  loc(
    'e81700f7-3be2-46de-8624-2eb35882fcaa',
    'Location',
    'ResourceAreas',
    '_apis/{resource}/{areaId}',
  ),
  loc('603fe2ac-9723-48b9-88ad-09305aa6c6e1', 'core', 'projects', '_apis/{resource}/{*projectId}'),
  loc(
    '225f7195-f9c7-4d14-ab28-a83f7ff77e1f',
    'git',
    'repositories',
    '{project}/_apis/git/{resource}/{repositoryId}',
  ),
  loc(
    'c2570c3b-5b3f-41b8-98bf-5407bfde8d58',
    'git',
    'commits',
    '{project}/_apis/git/repositories/{repositoryId}/{resource}/{commitId}',
  ),
  loc(
    '0cd358e1-9217-4d94-8269-1c1ee6f93dcf',
    'build',
    'builds',
    '{project}/_apis/build/{resource}/{buildId}',
  ),
  loc(
    '28e1305e-2afe-47bf-abaf-cbb0e6a91988',
    'pipelines',
    'pipelines',
    '{project}/_apis/{resource}/{pipelineId}',
  ),
  loc(
    '7859261e-d2e9-4a68-b820-a5d84cc5bb3d',
    'pipelines',
    'runs',
    '{project}/_apis/pipelines/{pipelineId}/{resource}/{runId}',
  ),
  loc(
    '8572b1fc-2482-47fa-8f74-7e3ed53ee54b',
    'distributedtask',
    'environments',
    '{project}/_apis/distributedtask/{resource}/{environmentId}',
  ),
  loc(
    '51bb5d21-4305-4ea6-9dbb-b7488af73334',
    'distributedtask',
    'environmentdeploymentrecords',
    '{project}/_apis/distributedtask/environments/{environmentId}/{resource}',
  ),
  loc(
    'd8f96f24-8ea7-4cb6-baab-2df8fc515665',
    'Release',
    'definitions',
    '{project}/_apis/release/{resource}/{definitionId}',
  ),
];

/** Resource areas (`GET _apis/ResourceAreas`): id → name; all served from the simulator's org URL. */
export const SIM_RESOURCE_AREAS: Readonly<Record<string, string>> = {
  '79134c72-4a58-4b42-976c-04e7115f32bf': 'core',
  '4e080c62-fa21-4fbc-8fef-2a10a2b38049': 'git',
  '965220d5-5bb9-42cf-8d67-9b146df2a5a4': 'build',
  // The SDK resolves the pipelines area through the work-item-tracking area id (PipelinesApi TODO).
  '5264459e-e5e0-4bd8-b118-0985e68a4ec5': 'wit',
  'a85b8835-c1a1-4aac-ae97-1c3d0ba72dbd': 'distributedtask',
  'efc2f575-36ef-48e9-b672-0c6fb4a48ac5': 'Release',
};

/** The body of `OPTIONS _apis/<area>`, or undefined for an area the simulator does not serve. */
export function areaLocations(area: string): { count: number; value: unknown[] } | undefined {
  const value = SIM_LOCATIONS.filter((l) => l.area.toLowerCase() === area.toLowerCase()).map(
    (l) => ({
      ...l,
      resourceVersion: 9,
      minVersion: '1.0',
      maxVersion: '7.2',
      releasedVersion: '7.1',
    }),
  );
  return value.length > 0 ? { count: value.length, value } : undefined;
}

/** The body of `GET _apis/ResourceAreas`. */
export function resourceAreas(orgUrl: string): { count: number; value: unknown[] } {
  const value = Object.entries(SIM_RESOURCE_AREAS).map(([id, name]) => ({
    id,
    name,
    locationUrl: `${orgUrl}/`,
  }));
  return { count: value.length, value };
}

function loc(id: string, area: string, resourceName: string, routeTemplate: string): SimLocation {
  return { id, area, resourceName, routeTemplate };
}
