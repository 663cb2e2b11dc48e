import { configDefaults, defineConfig } from "vitest/config";

// Fault tests spawn processes and take minutes: `npm run test:reliability` runs them, `npm test` does not.
// Release checks (pack + --omit=dev install, the Dockerfile replay) install and build in temp directories:
// `npm run test:release`.
const slow = ["test/reliability", "test/release"];
const asked = slow.filter((dir) => process.argv.some((a) => a.includes(dir)));

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    exclude: [...configDefaults.exclude, "test/browser/**", ...slow.filter((d) => !asked.includes(d)).map((d) => `${d}/**`)],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: "forks",
  },
});
