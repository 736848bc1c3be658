// Preloaded into each measured process (`node --import`): prints the CPU time it used on exit.
// CPU time (user + system) is steadier than wall time on a machine shared with other work.
import { writeSync } from 'node:fs';

process.on('exit', () => {
  const usage = process.resourceUsage();
  writeSync(2, `\n__CPU_MS__ ${Math.round((usage.userCPUTime + usage.systemCPUTime) / 1000)}\n`);
});
