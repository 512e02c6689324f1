import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: [
            'test/unit/**/*.test.ts',
            'test/property/**/*.test.ts',
            'test/infra/**/*.test.ts',
            'test/cli/**/*.test.ts',
          ],
          globalSetup: ['test/global-tmpdir.ts', 'test/cli/build-cli.global-setup.ts'],
          testTimeout: 30_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.int.test.ts', 'test/e2e/**/*.e2e.test.ts'],
          globalSetup: [
            'test/global-tmpdir.ts',
            'test/integration/global-setup.ts',
            'test/cli/build-cli.global-setup.ts',
          ],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
