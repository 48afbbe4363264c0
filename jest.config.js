// Three projects: pure unit specs beside the code, integration over the local cloud, E2E in Chromium.
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
      displayName: 'integration',
      testEnvironment: 'node',
      transform,
      testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
    },
    { displayName: 'e2e', testEnvironment: 'node', transform, testMatch: ['<rootDir>/test/e2e/**/*.test.ts'] },
  ],
  testTimeout: 60000,
};
