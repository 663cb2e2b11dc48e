import { configDefaults, defineConfig } from "vitest/config";

// Fault tests spawn processes and take minutes: `npm run test:reliability` runs them, `npm test` does not.
const reliability = process.argv.some((a) => a.includes("test/reliability"));

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    exclude: reliability ? configDefaults.exclude : [...configDefaults.exclude, "test/reliability/**"],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: "forks",
  },
});
