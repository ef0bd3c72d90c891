import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    globalSetup: ["tests/e2e/globalSetup.ts"],
    // tfjs training and the browser tests are slow on a 2-core machine; timeouts are generous
    // because tests assert behaviour, never speed (speed lives in `npm run bench`).
    testTimeout: 120_000,
    hookTimeout: 600_000,
    pool: "forks",
    maxWorkers: 2,
  },
});
