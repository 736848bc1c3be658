// esbuild options shared by everything we bundle to run on Node from this checkout (the CLI, the
// benchmarks, the standalone simulator): ESM for Node 20, packages left to node_modules.
export const NODE_BUNDLE = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  packages: 'external',
  logLevel: 'warning',
};
