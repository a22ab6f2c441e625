/**
 * The coupon language service: everything the editor shows for a coupon file,
 * with no LSP connection in it (the server maps these onto handlers; tests call
 * them directly). JSON smarts (completion, symbols, folding, formatting,
 * selection ranges) come from vscode-json-languageservice configured with the
 * project's schema; validation, hover and quick fixes are the project's own.
 */
import {
  ClientCapabilities,
  CodeAction,
  CompletionItem,
  CompletionItemKind,
  CompletionList,
  Diagnostic,
  DocumentSymbol,
  FoldingRange,
  FormattingOptions,
  getLanguageService,
  Hover,
  InsertTextFormat,
  Position,
  Range,
  SelectionRange,
  TextDocument,
  TextEdit,
} from 'vscode-json-languageservice';
import { hoverAt } from './hover';
import { updateCouponDocument } from './incrementalParse';
import { CouponDocument, parseCouponDocument, parseCouponText, pathOf } from './parse';
import { quickFixes } from './quickFixes';
import { COUPON_SCHEMA_URI, couponSeriesSchema, schemaAtPath, typeLabel } from './schema';
import { ValidationOptions, validateCouponDocument } from './validate';
import { boundCompletionItems, boundDiagnostics, boundHover, boundSymbols } from './responseLimits';
import snippetFile from '../../snippets/coupon-series.json';

interface SnippetDefinition {
  prefix: string;
  body: string | string[];
  description?: string;
}

export interface CouponLanguageServiceOptions {
  /**
   * Offer the whole-series snippets of snippets/ as completions in an empty file.
   * VS Code already shows them from the extension's `contributes.snippets`, so its
   * client turns this off; other LSP clients get them from the server.
   */
  serverSideSnippets?: boolean;
  validation?: ValidationOptions;
}

export interface CouponLanguageService {
  /** The parse of this document version (cached until the next version). */
  parse(document: TextDocument): CouponDocument;
  forget(uri: string): void;
  validate(document: TextDocument): Diagnostic[];
  /** Diagnostics of a file that is not open (nothing is cached). */
  validateText(uri: string, text: string): Diagnostic[];
  complete(document: TextDocument, position: Position): Promise<CompletionList>;
  hover(document: TextDocument, position: Position): Hover | null;
  codeActions(document: TextDocument, diagnostics: readonly Diagnostic[]): CodeAction[];
  documentSymbols(document: TextDocument): DocumentSymbol[];
  foldingRanges(document: TextDocument): FoldingRange[];
  selectionRanges(document: TextDocument, positions: Position[]): SelectionRange[];
  format(document: TextDocument, range: Range | undefined, options: FormattingOptions): TextEdit[];
  /**
   * Completes, hovers and validates once on a small series of its own, so the
   * first request of a session pays neither the JSON service's resolution of
   * the schema nor the compilation of that code (the server runs it while idle,
   * right after loading the service).
   */
  warmUp(): Promise<void>;
}

/** The warm-up's series: a value and a property to complete, a property to hover. */
const WARM_UP_TEXT = '{\n  "CouponSeriesV2": {\n    "discountType": "ABS",\n    "expiryStrategyType": "",\n    \n  }\n}\n';

const snippetCompletions: CompletionItem[] = Object.entries(snippetFile as Record<string, SnippetDefinition>)
  .filter(([, snippet]) => snippet.prefix.startsWith('coupon-series'))
  .map(([name, snippet]) => ({
    label: snippet.prefix,
    kind: CompletionItemKind.Snippet,
    detail: name,
    documentation: snippet.description,
    insertText: Array.isArray(snippet.body) ? snippet.body.join('\n') : snippet.body,
    insertTextFormat: InsertTextFormat.Snippet,
  }));

/** Adds the type and a one-line description to property completions. */
function describeCompletion(basePath: readonly (string | number)[], item: CompletionItem): CompletionItem {
  if (item.kind !== CompletionItemKind.Property) return item;
  const name = typeof item.label === 'string' ? item.label : String(item.label);
  const schema = schemaAtPath([...basePath, name]);
  if (!schema) return item;
  const summary = schema.description?.split(/(?<=\.)\s/)[0] ?? '';
  return { ...item, detail: typeLabel(schema), labelDetails: { detail: `: ${typeLabel(schema)}`, description: summary } };
}

const RESULT_LIMIT = 5000;

export function createCouponLanguageService(options: CouponLanguageServiceOptions = {}): CouponLanguageService {
  const schemaText = JSON.stringify(couponSeriesSchema);
  const json = getLanguageService({
    // Every served file is a coupon file: whatever `$schema` it names, it gets ours.
    schemaRequestService: () => Promise.resolve(schemaText),
    clientCapabilities: ClientCapabilities.LATEST,
  });
  // A copy of its own: the JSON service resolves a schema's $refs in place, and the project's schema must stay as written
  // (precompiled validators are found by its content; rules and wording read it).
  json.configure({ validate: false, allowComments: false, schemas: [{ uri: COUPON_SCHEMA_URI, fileMatch: ['*'], schema: JSON.parse(schemaText) as object }] });

  // TextDocuments are updated in place, so the version is recorded at parse time.
  const cache = new Map<string, { document: TextDocument; version: number; parsed: CouponDocument }>();

  function parse(document: TextDocument): CouponDocument {
    const cached = cache.get(document.uri);
    if (cached && cached.document === document && cached.version === document.version) return cached.parsed;
    const parsed = cached && cached.document === document ? updateCouponDocument(cached.parsed, document) : parseCouponDocument(document);
    cache.set(document.uri, { document, version: document.version, parsed });
    return parsed;
  }

  const service: CouponLanguageService = {
    parse,
    forget: (uri) => cache.delete(uri),
    validate: (document) => boundDiagnostics(validateCouponDocument(parse(document), options.validation)),
    validateText: (uri, text) => boundDiagnostics(validateCouponDocument(parseCouponText(text, uri), options.validation)),
    async complete(document, position) {
      const parsed = parse(document);
      const offset = document.offsetAt(position);
      const list = (await json.doComplete(document, position, parsed.jsonDocument)) ?? { isIncomplete: false, items: [] };
      // Property items complete the innermost object around the cursor.
      let objectNode = parsed.jsonDocument.getNodeFromOffset(offset, true);
      while (objectNode && objectNode.type !== 'object') objectNode = objectNode.parent;
      const basePath = objectNode ? pathOf(objectNode) : [];
      const items = boundCompletionItems(list.items).map((item) => describeCompletion(basePath, item));
      if (options.serverSideSnippets !== false && !parsed.root && parsed.text.trim() === '') items.push(...snippetCompletions);
      return { isIncomplete: list.isIncomplete, items };
    },
    hover: (document, position) => boundHover(hoverAt(parse(document), document.offsetAt(position))),
    codeActions: (document, diagnostics) => quickFixes(parse(document), diagnostics),
    // Limits as in VS Code's own JSON server: a 50,000-id array must not cost a symbol per id on every edit.
    documentSymbols: (document) => boundSymbols(json.findDocumentSymbols2(document, parse(document).jsonDocument, { resultLimit: RESULT_LIMIT })),
    foldingRanges: (document) => json.getFoldingRanges(document, { rangeLimit: RESULT_LIMIT }),
    selectionRanges: (document, positions) => json.getSelectionRanges(document, positions, parse(document).jsonDocument),
    format: (document, range, formatting) => json.format(document, range, formatting),
    async warmUp() {
      const document = TextDocument.create('untitled:warm-up.coupon.json', 'coupon-json', 0, WARM_UP_TEXT);
      const at = (text: string, after: number) => document.positionAt(WARM_UP_TEXT.indexOf(text) + after);
      try {
        await service.complete(document, at('""', 1));
        await service.complete(document, at('\n    \n', 5));
        service.hover(document, at('discountType', 1));
        service.validate(document);
      } finally {
        service.forget(document.uri);
      }
    },
  };
  return service;
}

