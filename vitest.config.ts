import { configDefaults, defineConfig } from "vitest/config";

// Fault tests spawn processes and take minutes: `npm run test:reliability` runs them, `npm test` does not.
// Browser tests need chromium and have their own config: `npm run test:browser`.
const reliability = process.argv.some((a) => a.includes("test/reliability"));

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    exclude: reliability
      ? [...configDefaults.exclude, "test/browser/**"]
      : [...configDefaults.exclude, "test/reliability/**", "test/browser/**"],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: "forks",
  },
});
