/**
 * The workspace the extension-host suite opens: copies of the project's
 * fixtures (one mistake each where the test needs one) and settings pointing
 * the extension at a local sandbox on a given port. Plain Node: no `vscode`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const SUITE_FILES = {
  valid: 'valid.coupon.json',
  invalid: 'invalid.coupon.json',
  generic: 'generic.coupon.json',
  completion: 'completion.coupon.json',
  createMe: 'create-me.coupon.json',
} as const;

/** Environment variable carrying the sandbox port into the extension host. */
export const SANDBOX_PORT_ENV = 'COUPON_SUITE_SANDBOX_PORT';

function replaceOnce(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`fixture text lacks ${JSON.stringify(from)}`);
  return text.replace(from, to);
}

/** The texts of the suite's files, from the repository's fixtures. */
export function suiteTexts(repoRoot: string): Record<keyof typeof SUITE_FILES, string> {
  const vendor = fs.readFileSync(path.join(repoRoot, 'test', 'fixtures', 'valid', 'vendor-example.coupon.json'), 'utf8');
  return {
    valid: vendor,
    invalid: replaceOnce(replaceOnce(vendor, '    "discountCode": "XYZ123",\n', ''), '"discountType": "ABS"', '"discountType": "PERCENT"'),
    generic: replaceOnce(vendor, '"clientHandlingType": "DISC_CODE"', '"clientHandlingType": "GENERIC"'),
    completion: replaceOnce(vendor, '"expiryStrategyType": "SERIES_EXPIRY"', '"expiryStrategyType": ""'),
    createMe: replaceOnce(vendor, '"description": "DIWALI 100% OFF"', '"description": "Suite created"'),
  };
}

/** Writes the files and `.vscode/settings.json` (the Local sandbox, the default environment, on `sandboxPort`; it never asks before sending). */
export function createSuiteWorkspace(dir: string, repoRoot: string, sandboxPort: number): void {
  fs.mkdirSync(path.join(dir, '.vscode'), { recursive: true });
  const texts = suiteTexts(repoRoot);
  for (const [key, name] of Object.entries(SUITE_FILES)) fs.writeFileSync(path.join(dir, name), texts[key as keyof typeof SUITE_FILES]);
  fs.writeFileSync(path.join(dir, '.vscode', 'settings.json'), `${JSON.stringify({ 'couponSeries.sandboxPort': sandboxPort }, null, 2)}\n`);
}
