/** The vendor's reference pages as kept in test/fixtures/vendor-docs/: their JSON examples and their tables. */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { VENDOR_DOCUMENTS } from '../../core/src/rules/rule';
import { FIXTURES } from './testUtil';

export type VendorPage = keyof typeof VENDOR_DOCUMENTS;

export function vendorPage(page: VendorPage): string {
  return readFileSync(path.join(FIXTURES, 'vendor-docs', VENDOR_DOCUMENTS[page]), 'utf8');
}

/** The JSON examples of a page, in order: each block from a line "{" to the line where it parses. */
export function jsonExamples(page: VendorPage): unknown[] {
  const examples: unknown[] = [];
  let block: string[] | undefined;
  for (const line of vendorPage(page).split('\n')) {
    if (!block && line.trim() === '{') block = [];
    if (!block) continue;
    block.push(line);
    if (line.trim() !== '}') continue;
    try {
      examples.push(JSON.parse(block.join('\n')));
      block = undefined;
    } catch {
      // Not closed yet: a nested object ended.
    }
  }
  return examples;
}

/** The parameter names of the table that follows a heading line (`Body parameter`, `Response parameter`...). */
export function tableParameters(page: VendorPage, heading: string): string[] {
  const lines = vendorPage(page).split('\n');
  const start = lines.findIndex((line) => line.trim() === heading);
  if (start < 0) throw new Error(`no "${heading}" in ${VENDOR_DOCUMENTS[page]}`);
  const names: string[] = [];
  for (const line of lines.slice(start + 1)) {
    const cells = line.split('|').map((cell) => cell.trim());
    if (cells.length < 3) {
      if (names.length > 0) break;
      continue;
    }
    if (cells[0] === 'Parameter' || /^-+$/.test(cells[0])) continue;
    names.push(cells[0]);
  }
  return names;
}
