// Four projects: pure unit specs beside the code (cloud and client), integration over the local cloud, E2E in Chromium.
const transform = { '^.+\\.tsx?$': ['@swc/jest', { jsc: { target: 'es2021' } }] };
module.exports = {
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      transform,
      testMatch: ['<rootDir>/cloudfunctions/**/*.spec.ts'],
      testPathIgnorePatterns: ['/dist/', '/node_modules/'],
    },
    {
      // The client's pure helpers (formatting, labels), with the client's path aliases.
      displayName: 'client',
      testEnvironment: 'node',
      transform,
      testMatch: ['<rootDir>/client/src/**/*.spec.ts'],
      moduleNameMapper: { '^@cloud/(.*)$': '<rootDir>/cloudfunctions/src/$1', '^@/(.*)$': '<rootDir>/client/src/$1' },
    },
    {
      displayName: 'integration',
      testEnvironment: 'node',
      transform,
      testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
    },
    { displayName: 'e2e', testEnvironment: 'node', transform, testMatch: ['<rootDir>/test/e2e/**/*.test.ts'] },
  ],
  testTimeout: 60000,
};
