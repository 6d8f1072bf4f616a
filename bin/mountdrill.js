#!/usr/bin/env node
// The CLI is compiled to dist/ by `npm run build`; this shim keeps the bin path stable.
let cli;
try {
  cli = await import('../dist/harness/cli/main.js');
} catch (error) {
  if (error?.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist/harness/cli/main.js')) {
    console.error('mountdrill: the compiled CLI is missing (dist/harness/cli/main.js). Run `npm run build` first.');
    process.exit(3);
  }
  throw error;
}
process.exitCode = await cli.main(process.argv);
