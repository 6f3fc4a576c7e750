/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    // Type checking is done once by `tsc --noEmit` in `npm test`; here ts-jest only transpiles.
    '^.+\\.ts$': ['ts-jest', { diagnostics: false }],
  },
  setupFilesAfterEnv: ['<rootDir>/test/setup.ts'],
  // Every temporary folder of the run under one, removed at the end (test/support/scratch-folder.ts).
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  // A guard against a hung test, never a judgement of speed (benchmarks are `npm run bench`): a shared,
  // loaded machine may take minutes for the specs that synthesise several times.
  testTimeout: 600000,
  maxWorkers: 2,
};
