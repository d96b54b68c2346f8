import swc from 'unplugin-swc';
import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

// SWC (not esbuild) compiles the tests so that Nest's decorator metadata is emitted.
// The "source" condition makes the package.json "#lib" imports resolve to TypeScript sources.
const shared = {
  plugins: [swc.vite({ module: { type: 'es6' } })],
  resolve: { conditions: ['source', ...defaultServerConditions] },
  ssr: { resolve: { conditions: ['source', ...defaultServerConditions] } },
};

export default defineConfig({
  ...shared,
  test: {
    reporters: ['default', './test/support/plain-summary-reporter.ts'],
    projects: [
      {
        ...shared,
        // Generous: property and exhaustive tests take seconds on a loaded 2-core machine.
        test: { name: 'unit', include: ['{apps,libs,test}/**/*.spec.ts'], environment: 'node', testTimeout: 30_000 },
      },
      {
        ...shared,
        test: {
          name: 'int',
          include: ['{apps,libs,test}/**/*.int-spec.ts'],
          globalSetup: ['./test/support/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        ...shared,
        test: {
          name: 'e2e',
          include: ['{apps,libs,test}/**/*.e2e-spec.ts'],
          globalSetup: ['./test/support/global-setup.ts'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
