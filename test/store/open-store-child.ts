// Opens the embedded store at argv[2] in its own process (a hang cannot stall the test runner)
// and prints `opened` or the error's code and message as JSON.
import { isDriftwatchError } from '../../core/errors.js';
import { openStore } from '../../core/store/open-store.js';

try {
  const store = await openStore({ path: process.argv[2] ?? '' });
  await store.close();
  process.stdout.write('opened\n');
} catch (error) {
  const code = isDriftwatchError(error) ? error.code : 'unclassified';
  process.stdout.write(`${JSON.stringify({ code, message: (error as Error).message })}\n`);
}
