/**
 * What a language-server answer may echo of the document. A file can hold a
 * 20 MB string or thousands of syntax errors; the answers about it (symbols,
 * completion labels, hover, diagnostics) stay small whatever the file holds.
 */
import type { CompletionItem, Diagnostic, DocumentSymbol, Hover, MarkupContent } from 'vscode-json-languageservice';

/** Characters of a value or name shown in a symbol or a completion label. */
export const MAX_ECHOED_TEXT = 120;
/** A completion that would insert more than this is a value copied from the file, not a suggestion. */
export const MAX_INSERTED_TEXT = 10_000;
/** Diagnostics published per file: the first ones by position (a person fixes a file from the top). */
export const MAX_DIAGNOSTICS = 1000;
export const MAX_MESSAGE_LENGTH = 1000;
export const MAX_HOVER_LENGTH = 20_000;

/** `text` cut to `max` characters with an ellipsis, never splitting a surrogate pair. */
export function truncateText(text: string, max = MAX_ECHOED_TEXT): string {
  if (text.length <= max) return text;
  let end = max - 1;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${text.slice(0, end)}…`;
}

export function boundDiagnostics(diagnostics: Diagnostic[]): Diagnostic[] {
  const kept = diagnostics.length > MAX_DIAGNOSTICS ? diagnostics.slice(0, MAX_DIAGNOSTICS) : diagnostics;
  for (const diagnostic of kept) {
    if (typeof diagnostic.message === 'string' && diagnostic.message.length > MAX_MESSAGE_LENGTH) diagnostic.message = truncateText(diagnostic.message, MAX_MESSAGE_LENGTH);
  }
  return kept;
}

export function boundSymbols(symbols: DocumentSymbol[]): DocumentSymbol[] {
  for (const symbol of symbols) {
    symbol.name = truncateText(symbol.name);
    if (symbol.detail !== undefined) symbol.detail = truncateText(symbol.detail);
    if (symbol.children) boundSymbols(symbol.children);
  }
  return symbols;
}

function insertedLength(item: CompletionItem): number {
  const edit = item.textEdit;
  return Math.max(item.insertText?.length ?? 0, edit ? edit.newText.length : 0);
}

/** Drops proposals that would insert a huge value copied from the file; shortens long labels. */
export function boundCompletionItems(items: CompletionItem[]): CompletionItem[] {
  const kept = items.filter((item) => insertedLength(item) <= MAX_INSERTED_TEXT);
  for (const item of kept) {
    if (item.label.length > MAX_ECHOED_TEXT) {
      // Filtering keeps working on what the person types: the start of the value.
      item.filterText = truncateText(item.filterText ?? item.label, MAX_INSERTED_TEXT);
      item.label = truncateText(item.label);
    }
    if (item.detail !== undefined) item.detail = truncateText(item.detail, MAX_MESSAGE_LENGTH);
    if (typeof item.documentation === 'string') item.documentation = truncateText(item.documentation, MAX_HOVER_LENGTH);
    else if (item.documentation) item.documentation.value = truncateText(item.documentation.value, MAX_HOVER_LENGTH);
  }
  return kept;
}

export function boundHover(hover: Hover | null): Hover | null {
  const contents = hover?.contents as MarkupContent | undefined;
  if (contents && typeof contents.value === 'string' && contents.value.length > MAX_HOVER_LENGTH) contents.value = truncateText(contents.value, MAX_HOVER_LENGTH);
  return hover;
}
