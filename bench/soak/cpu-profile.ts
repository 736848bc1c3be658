import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';

/**
 * With `SOAK_CPU_PROF=<dir>`, profiles this process (V8's sampling profiler, as `node --cpu-prof`,
 * which NODE_OPTIONS does not allow) and returns a function writing `<dir>/<name>-<pid>.cpuprofile`.
 */
export async function startCpuProfile(
  env: NodeJS.ProcessEnv,
  name: string,
): Promise<() => Promise<void>> {
  const dir = env.SOAK_CPU_PROF;
  if (!dir) return async () => undefined;
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return async () => {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(join(dir, `${name}-${process.pid}.cpuprofile`), JSON.stringify(profile));
  };
}
