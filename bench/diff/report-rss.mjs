// Preloaded into each measured process (`node --import`): prints its peak RSS on exit.
import { writeSync } from 'node:fs';

process.on('exit', () => {
  writeSync(2, `\n__MAXRSS_KB__ ${process.resourceUsage().maxRSS}\n`);
});
