// The named reference for bench/diff: parse both files and run microdiff on every pair (matched
// by id). No normalisation, no noise filtering, no severity: the floor a plain diff costs.
import { readFileSync } from 'node:fs';
import diff from 'microdiff';

const [baselineFile, currentFile] = process.argv.slice(2);
const baseline = JSON.parse(readFileSync(baselineFile, 'utf8'));
const current = JSON.parse(readFileSync(currentFile, 'utf8'));
const byId = new Map(current.map((r) => [r.id.toLowerCase(), r]));
let changed = 0;
let differences = 0;
for (const before of baseline) {
  const after = byId.get(before.id.toLowerCase());
  if (!after) continue;
  const d = diff(before, after);
  if (d.length > 0) changed += 1;
  differences += d.length;
}
process.stdout.write(`${JSON.stringify({ changed, differences })}\n`);
