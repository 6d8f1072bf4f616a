import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The JSON results feed the "N passed, N failed" line that .ci/run prints.
    reporters: ['default', 'json'],
    outputFile: { json: 'reports/vitest-results.json' },
    globalSetup: ['test/global-setup.ts'],
    // Integration tests start containers. Running files one at a time keeps their timings
    // representative and keeps one file's cleanup checks free of another file's containers.
    fileParallelism: false,
    testTimeout: 240_000,
    hookTimeout: 240_000,
    env: {
      TESTCONTAINERS_HOST_OVERRIDE: '127.0.0.1',
      TESTCONTAINERS_RYUK_DISABLED: 'true',
      MOUNTDRILL_IMAGE_SOURCE: 'debootstrap',
    },
  },
});
