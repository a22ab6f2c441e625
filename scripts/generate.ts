/**
 * `npm run generate`: writes the files derived from a single source each, and
 * `--check` says whether they are current (a test runs the same check):
 *
 *   - schemas/coupon-series.schema.json, the strict draft-07 schema any tool can
 *     load, from schemas/coupon-series.annotated.json (scripts/strictSchema.ts);
 *   - docs/rules/<code>.md, one page per diagnostic code, and the README's rule
 *     index, from the rule registry, core/src/rules/ (scripts/ruleDocs.ts).
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { README, readmeWithRuleIndex, RULE_PAGES_DIR, rulePages } from './ruleDocs';
import { ANNOTATED_SCHEMA, STRICT_SCHEMA, strictSchemaText } from './strictSchema';

const REPO_ROOT = path.resolve(__dirname, '..', '..');

function readOrEmpty(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

export interface GeneratedFiles {
  /** Each generated file: its path and the text it must have. */
  wanted: [file: string, text: string][];
  /** Files in docs/rules/ that no code generates (a page of a code that is gone). */
  stale: string[];
}

export function generatedFiles(): GeneratedFiles {
  const pages = rulePages();
  const existing = (() => {
    try {
      return readdirSync(RULE_PAGES_DIR).filter((file) => file.endsWith('.md'));
    } catch {
      return [];
    }
  })();
  return {
    wanted: [
      [STRICT_SCHEMA, strictSchemaText(readFileSync(ANNOTATED_SCHEMA, 'utf8'))],
      [README, readmeWithRuleIndex(readFileSync(README, 'utf8'))],
      ...[...pages].map(([file, text]): [string, string] => [path.join(RULE_PAGES_DIR, file), text]),
    ],
    stale: existing.filter((file) => !pages.has(file)).map((file) => path.join(RULE_PAGES_DIR, file)),
  };
}

/** The generated files that are not current (relative paths), for the test and `--check`. */
export function outdatedFiles(): string[] {
  const { wanted, stale } = generatedFiles();
  return [...wanted.filter(([file, text]) => readOrEmpty(file) !== text).map(([file]) => file), ...stale].map((file) => path.relative(REPO_ROOT, file));
}

function main(): void {
  if (process.argv.includes('--check')) {
    const outdated = outdatedFiles();
    for (const file of outdated) console.error(`${file} is not current: run npm run generate`);
    process.exitCode = outdated.length > 0 ? 1 : 0;
    return;
  }
  const { wanted, stale } = generatedFiles();
  mkdirSync(RULE_PAGES_DIR, { recursive: true });
  for (const [file, text] of wanted) {
    if (readOrEmpty(file) === text) continue;
    writeFileSync(file, text, 'utf8');
    console.log(`wrote ${path.relative(REPO_ROOT, file)}`);
  }
  for (const file of stale) {
    rmSync(file);
    console.log(`removed ${path.relative(REPO_ROOT, file)}`);
  }
}

if (require.main === module) main();
