/**
 * `npm run generate`: writes the files derived from a single source each, and
 * `--check` says whether they are current (a test runs the same check):
 *
 *   - schemas/coupon-series.schema.json, the strict draft-07 schema any tool can
 *     load, from schemas/coupon-series.annotated.json (scripts/strictSchema.ts);
 *   - docs/rules/<code>.md, one page per diagnostic code, and the README's rule
 *     index, from the rule registry, core/src/rules/ (scripts/ruleDocs.ts);
 *   - package.json's `contributes.languageModelTools`, from the agent tools'
 *     definitions (core/src/agent/tools.ts), which `coupon mcp` serves as they are.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { README, readmeWithRuleIndex, RULE_PAGES_DIR, rulePages } from './ruleDocs';
import { ANNOTATED_SCHEMA, STRICT_SCHEMA, strictSchemaText } from './strictSchema';

import { languageModelToolsManifest } from '../core/src/agent/tools';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const PACKAGE_JSON = path.join(REPO_ROOT, 'package.json');

/** package.json with `contributes.languageModelTools` replaced by the generated one (after `contributes.commands`, where it first went). */
export function packageJsonWithTools(text: string): string {
  const manifest = JSON.parse(text) as { contributes: Record<string, unknown> };
  const contributes: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(manifest.contributes)) {
    if (key === 'languageModelTools') continue;
    contributes[key] = value;
    if (key === 'commands') contributes.languageModelTools = languageModelToolsManifest();
  }
  if (!('languageModelTools' in contributes)) contributes.languageModelTools = languageModelToolsManifest();
  return `${JSON.stringify({ ...manifest, contributes }, null, 2)}\n`;
}

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
      [PACKAGE_JSON, packageJsonWithTools(readFileSync(PACKAGE_JSON, 'utf8'))],
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
