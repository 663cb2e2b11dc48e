// The rule unit-test module's public surface: run `*.test.yaml` files and render their report.
export { runRuleTestCommand, type RuleTestCommandOptions } from "./cli.js";
export { listTestFiles, TEST_FILE_PATTERN } from "./files.js";
export { parseRuleTestFile } from "./parse.js";
export { formatRuleTestReport } from "./report.js";
export { runRuleTests, type RuleTestOptions } from "./run.js";
export { RuleTestFileSchema } from "./schema.js";
export type { ActualAlert, ExpectedAlert, RuleTestReport, RuleTestResult } from "./types.js";
