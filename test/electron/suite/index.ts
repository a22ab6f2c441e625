/**
 * Entry of the extension-host suite (`--extensionTestsPath`): VS Code calls
 * `run()` inside the Extension Development Host; it rejects when a test fails.
 * The results are also written as JSON to $COUPON_SUITE_RESULTS when set.
 */
import * as fs from 'node:fs';
import { runAll } from './runner';
// Registration order is run order: language features first, then commands.
import './language.test';
import './commands.test';
import './agentTools.test';
import './contributions.test';

export async function run(): Promise<void> {
  console.log('coupon-series extension-host suite');
  const results = await runAll();
  const out = process.env.COUPON_SUITE_RESULTS;
  if (out) fs.writeFileSync(out, JSON.stringify(results, null, 2));
  const failed = results.filter((r) => !r.ok);
  if (failed.length) throw new Error(`${failed.length} of ${results.length} extension-host tests failed: ${failed.map((r) => r.name).join('; ')}`);
}
