/**
 * Requests a full discovery of the generated estate makes: location discovery (OPTIONS Location,
 * GET ResourceAreas), connectionData, one OPTIONS per API area (core, git, build, pipelines,
 * distributedtask, Release), projects, repositories, one commit read per repository, pipeline
 * pages, one runs read per pipeline, build pages, environments, release definitions.
 */
export function predictRequests(o: {
  repositories: number;
  builds: number;
  pageSize: number;
}): number {
  const pipelines = Math.max(1, Math.ceil(o.repositories / 10));
  const pages = (n: number) => Math.max(1, Math.ceil(n / o.pageSize));
  return (
    2 + 1 + 6 + 1 + 1 + o.repositories + pages(pipelines) + pipelines + pages(o.builds) + 1 + 1
  );
}
