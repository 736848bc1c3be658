// Preloaded into each measured process (`node --import`): prints its peak RSS and the CPU time
// it used (user + system) on exit. CPU time is steadier than wall time on a shared machine.
import { writeSync } from 'node:fs';

process.on('exit', () => {
  const usage = process.resourceUsage();
  writeSync(2, `\n__MAXRSS_KB__ ${usage.maxRSS}\n`);
  writeSync(2, `__CPU_MS__ ${Math.round((usage.userCPUTime + usage.systemCPUTime) / 1000)}\n`);
});
