import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // Hang guards only: no test depends on how long it takes (a loaded machine may be 5× slower).
    testTimeout: 900_000,
    hookTimeout: 300_000,
    env: {
      // The SDK's notice that releases after January 2027 need Node 22: true, but noise in test logs.
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
      AWS_REGION: 'us-east-1',
    },
  },
});
