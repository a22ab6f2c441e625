/**
 * What a rule module is. Each module under core/src/rules/ owns one diagnostic
 * code, or a close family of codes that one check reports, and exports in one
 * object everything about them: the metadata (severity, where the rule comes
 * from, the docs' words or why it is only inferred, its documentation, a wrong
 * and a right example), the check, and the quick fix. The registry
 * (./index.ts) lists the modules; the code table, the rule pages
 * (docs/rules/<code>.md), the README's rule index and SARIF's rules are all
 * derived from it.
 *
 * The principle every severity follows: an error only where the vendor's docs
 * say the API rejects a value, or where the value cannot be what the docs'
 * tables say (wrong JSON type, not a documented value, not the documented
 * shape). Everything else is a warning, marked inferred, with a one-line reason.
 */
import { ASTNode, CodeAction, Diagnostic, DiagnosticSeverity, ObjectASTNode, Range } from 'vscode-json-languageservice';
import type { CouponDocument } from '../parse';
import type { Span } from '../stringValueOffsets';

/**
 * `json`: JSON itself (the file is the request body). `vendor docs`: the create
 * and update reference pages and FACTS.md's documented facts. `inferred`: not
 * documented, a warning. `this tool`: the tool's own file format (`deployments`).
 */
export type RuleSource = 'json' | 'vendor docs' | 'inferred' | 'this tool';

/** The vendor documents quoted: the two reference pages and the facts gathered from the docs. */
export const VENDOR_DOCUMENTS = {
  create: 'create-coupon-series.txt',
  update: 'update-coupon-series.txt',
  facts: 'FACTS.md',
} as const;

export interface DocQuote {
  readonly page: keyof typeof VENDOR_DOCUMENTS;
  /** Verbatim from the page (white space may differ: the pages wrap lines). A test checks it against test/fixtures/vendor-docs/. */
  readonly text: string;
}

export const ERROR = DiagnosticSeverity.Error;
export const WARNING = DiagnosticSeverity.Warning;
export type RuleSeverity = typeof ERROR | typeof WARNING;

/**
 * What finds a code's problems (a test checks each against the schema and the module):
 * - `file`: the module's `checkFile`, on the JSON text itself (syntax), before the schema;
 * - `schema`: the annotated schema, through core/src/schemaValidation.ts (an `x-code`
 *   in the schema, or a keyword that file maps to the code);
 * - `rule`: the module's `check`, on every validation (every keystroke);
 * - `server`: the module's `check`, only when the server's series is known (the
 *   engine, before an update is sent).
 */
export type Checker = 'file' | 'schema' | 'rule' | 'server';

/** The server's copy of the series (what `GET /v2/coupon/series` answered), for the checks that need it. */
export type ServerSeries = Readonly<Record<string, unknown>>;

export interface RuleExample {
  /**
   * A coupon file. A line holding only `…` inside `CouponSeriesV2` stands for the
   * rest of a valid series: the tests put in every field of a small valid series
   * that the example does not name itself.
   */
  readonly text: string;
  /** What the rule's page shows instead, when `text` is too long to read (e.g. 1,001 ids). */
  readonly shownAs?: string;
  /** The server's series, for a rule checked before an update (`server`). */
  readonly server?: ServerSeries;
}

/** Extra facts a quick fix needs; carried in `Diagnostic.data` across LSP. */
export interface CouponDiagnosticData {
  /** The replacement a "did you mean" fix would write (a property name or enum value). */
  suggestion?: string;
  /** JSON text a fix would write instead of the diagnostic's range (e.g. `30` for `"30"`). */
  replacement?: string;
}

export interface QuickFix {
  /** What the fix does, for the rule's page (Markdown, one sentence). */
  readonly description: string;
  /** The code action for one diagnostic of the code, or undefined when this one has no unambiguous repair. */
  readonly build: (document: CouponDocument, diagnostic: Diagnostic) => CodeAction | undefined;
}

/** One diagnostic code and everything about it. */
export interface RuleCode<C extends string = string> {
  /** Stable: users search for it, suppress it, and it names the rule's page. */
  readonly code: C;
  /** What the rule catches, in a few words (the README's rule index, the page's heading). */
  readonly title: string;
  readonly severity: RuleSeverity;
  readonly source: RuleSource;
  /** What the rule catches, one sentence (Markdown): SARIF's short description, the page's first line. */
  readonly summary: string;
  /** The docs' sentences the rule rests on (every documented rule has them; an inferred one may quote what it reads). */
  readonly quotes?: readonly DocQuote[];
  /** Inferred rules and the tool's own: why the rule is only a warning, one line. JSON: why the file must be strict JSON. */
  readonly reason?: string;
  /** The rule's documentation (Markdown paragraphs): what it catches, where it applies, what it does not catch. */
  readonly description: string;
  readonly checkedBy: readonly Checker[];
  readonly examples: { readonly wrong: RuleExample; readonly right: RuleExample };
  readonly fix?: QuickFix;
}

/** Where a check reports: the document, and a report that knows only this module's codes. */
export interface FileContext<C extends string> {
  readonly document: CouponDocument;
  /** Report on a node, a stretch of the text (e.g. a few characters inside a string), or a range. */
  report(at: Span | Range, code: C, message: string, data?: CouponDiagnosticData): void;
}

export interface RuleContext<C extends string> extends FileContext<C> {
  /** The `CouponSeriesV2` object. */
  readonly series: ObjectASTNode;
  readonly now: Date;
  /** The series exists somewhere (a deployment, or a legacy id): its next send may be an update. */
  readonly bound: boolean;
  /** The request the file is about to become, when the caller knows (the engine). */
  readonly sendAs?: 'create' | 'update';
  /** The server's copy of the series, known when the engine checks an update. */
  readonly server?: ServerSeries;
  /** The value node of a series field, if present (the last, when a key is repeated). */
  field(name: string): ASTNode | undefined;
}

/** A diagnostic re-worded for a create: another code and message, `null` to drop it, `undefined` to keep it (see `RuleModule.asCreate`). */
export type AsCreate<C extends string> = { readonly code: C; readonly message: string } | null | undefined;

export interface RuleModule<C extends string = string> {
  /** The module's file name in core/src/rules/, without `.ts` (named in the rule pages; a test checks it). */
  readonly name: string;
  /** The codes this module owns: no other module reports them. */
  readonly codes: readonly RuleCode<C>[];
  /** The check on the JSON text (syntax), run on every validation, before the schema. */
  readonly checkFile?: (context: FileContext<C>) => void;
  /** The check on the series, run on every validation when the file holds one. Never throws on odd input. */
  readonly check?: (context: RuleContext<C>) => void;
  /**
   * A file recorded on an environment is judged as an update; sent as a create
   * elsewhere, it is a new series. What then becomes of one of this module's
   * diagnostics: another code and message, `null` (it does not apply), or
   * `undefined` (it stays).
   */
  readonly asCreate?: (diagnostic: Diagnostic) => AsCreate<C>;
}

/** A module, with its codes' literal type kept (so its check can report only its own codes). */
export function defineRules<const C extends string>(module: RuleModule<C>): RuleModule<C> {
  return module;
}
