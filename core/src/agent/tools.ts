/**
 * The agent tools as data: names, descriptions, input and output schemas
 * (plain JSON Schema) and the MCP annotations. One definition serves both
 * front ends: `coupon mcp` lists them as they are, and the extension's
 * `contributes.languageModelTools` is generated from them
 * (`languageModelToolsManifest`, `npm run generate`; a test keeps package.json
 * equal). The names and fields are a contract with assistants: change them
 * only with a new name.
 */
import { SEVERITY_NAMES } from '../engine/reports';

export type JsonSchema = Record<string, unknown>;

export const TOOL_NAMES = {
  validate: 'coupon_validate',
  explain: 'coupon_explain',
  environments: 'coupon_environments',
  plan: 'coupon_plan',
  push: 'coupon_push',
  pull: 'coupon_pull',
} as const;

export type ToolName = (typeof TOOL_NAMES)[keyof typeof TOOL_NAMES];

/** MCP's tool annotations (hints a client shows or acts on; never a guarantee by themselves). */
export interface ToolAnnotations {
  title: string;
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
  openWorldHint: boolean;
}

export interface AgentToolDefinition {
  name: ToolName;
  /** Short, for people (VS Code's displayName, MCP's title). */
  title: string;
  /** For the model: what the tool does, when to use it, what it refuses. */
  description: string;
  /** For people, in VS Code's tool picker. */
  userDescription: string;
  /** What it changes: read-only mode offers only `nothing`; `server` needs an environment allowed for push. */
  writes: 'nothing' | 'file' | 'server';
  inputSchema: JsonSchema;
  outputSchema: JsonSchema;
  annotations: ToolAnnotations;
  /** VS Code: the `#name` a user types in chat, and the tool's icon. */
  referenceName: string;
  icon: string;
}

const string = (description: string, extra: JsonSchema = {}): JsonSchema => ({ type: 'string', description, ...extra });
const integer = (description: string, extra: JsonSchema = {}): JsonSchema => ({ type: 'integer', description, ...extra });
const boolean = (description: string): JsonSchema => ({ type: 'boolean', description });
const array = (items: JsonSchema, description: string, extra: JsonSchema = {}): JsonSchema => ({ type: 'array', items, description, ...extra });
const object = (properties: Record<string, JsonSchema>, required: string[] = [], extra: JsonSchema = {}): JsonSchema => ({ type: 'object', properties, ...(required.length ? { required } : {}), ...extra });

/** The longest path or environment name an input may carry, and the most paths (bad input gets a clear error, not a hang). */
export const MAX_PATH_LENGTH = 4096;
export const MAX_PATHS = 200;
/** The most files one plan or push takes (each is read whole, and planned and sent one by one). */
export const MAX_FILES = 1000;
/** The largest `content` coupon_validate takes, and the largest file the tools read (the language server's limit for a file it reads). */
export const MAX_CONTENT_CHARS = 4 * 1024 * 1024;
export const MAX_FILE_BYTES = 4 * 1024 * 1024;

/** Why a tool did nothing: present instead of its results. */
const REFUSED = object(
  {
    kind: string('Why, as a stable word: outside-root, not-found, read-only, push-not-allowed, stale-plan, unknown-environment, no-credentials, host-not-named, invalid-input, restricted, cancelled...'),
    message: string('What happened, and what would help.'),
    advice: array({ type: 'string' }, 'What would help, as stable ids (set-credentials, start-sandbox...).'),
  },
  ['kind', 'message'],
);

/** An output schema: the results, or `refused` instead (every field of both listed, so a client validates either). */
function outputOf(properties: Record<string, JsonSchema>, required: string[]): JsonSchema {
  return { type: 'object', properties: { ...properties, refused: REFUSED }, anyOf: [{ required }, { required: ['refused'] }] };
}

const POSITION = {
  line: integer('1-based line of the start.'),
  column: integer('1-based column of the start.'),
  endLine: integer('1-based line of the end.'),
  endColumn: integer('1-based column just after the end.'),
};

const TEXT_EDIT = object({ ...POSITION, newText: string('The text that replaces the range.') }, ['line', 'column', 'endLine', 'endColumn', 'newText']);

const PROBLEM = object(
  {
    code: string('The rule\'s stable code (coupon_explain {code} tells what it catches and why).'),
    severity: { type: 'string', enum: [...SEVERITY_NAMES], description: 'error: the API would refuse the file; warning: inferred, never blocks sending.' },
    message: string('What is wrong and what to change.'),
    ...POSITION,
    fixes: array(object({ title: string('What the fix does.'), edits: array(TEXT_EDIT, 'Edits to the same text, applied together.') }, ['title', 'edits']), 'Quick fixes, where the repair is unambiguous.'),
  },
  ['code', 'severity', 'message', 'line', 'column', 'endLine', 'endColumn'],
);

const PLAN_DIAGNOSTIC = object({ code: { type: 'string' }, severity: { type: 'string' }, message: { type: 'string' }, ...POSITION }, ['code', 'severity', 'message', 'line', 'column']);

/** One file of a plan: the objects `coupon plan --json` prints (core/src/engine/reports.ts). */
const PLAN_ENTRY_PROPERTIES: Record<string, JsonSchema> = {
  file: string('The file, relative to the workspace root.'),
  environment: string('The environment\'s name.'),
  action: { type: 'string', enum: ['create', 'update', 'none'], description: 'What a push would do.' },
  state: {
    type: 'string',
    enum: ['not-created', 'in-sync', 'changed', 'drifted', 'missing', 'mismatch', 'ambiguous', 'invalid', 'unreachable'],
    description: 'Where the file stands on the environment.',
  },
  key: string('The deployment key <orgId>@<host> the file records the series under.'),
  id: integer('The series id on that environment.'),
  drifted: boolean('The series changed on the server since this file last pushed it (a push refuses it).'),
  changes: array({ type: 'string' }, 'The fields an update would change.'),
  migratesLegacyIds: boolean('Ids inside CouponSeriesV2 move into "deployments" on push.'),
  problem: string('Why the file cannot be pushed, or what to know.'),
  diagnostics: array(PLAN_DIAGNOSTIC, 'The errors of an invalid file.'),
};

const PLAN_ENTRY = object(PLAN_ENTRY_PROPERTIES, ['file', 'environment', 'action', 'state', 'drifted', 'changes']);

const PUSH_ENTRY = object(
  {
    ...PLAN_ENTRY_PROPERTIES,
    outcome: { type: 'string', enum: ['created', 'updated', 'up-to-date', 'failed'], description: 'What was done.' },
    seriesCode: string('The series code the server gave it.'),
    migrated: boolean('Legacy ids moved into "deployments".'),
    written: boolean('The file was changed (its deployment recorded).'),
    warnings: array({ type: 'string' }, 'What to know about what was sent.'),
    error: object({ kind: { type: 'string' }, message: { type: 'string' }, status: { type: 'integer' }, advice: array({ type: 'string' }, 'Advice ids.') }, ['kind', 'message']),
  },
  ['file', 'outcome'],
);

const ENVIRONMENT_INPUT = string('The environment\'s name, as coupon_environments lists it (e.g. "Local sandbox").', { maxLength: 200 });
const PATHS_INPUT = array(string('A coupon file, a folder or a glob, relative to the workspace root.', { maxLength: MAX_PATH_LENGTH }), 'Files, folders or globs inside the workspace (e.g. ["series/"] or ["promos/**/*.coupon.json"]). Folders and globs leave out what couponSeries.exclude and files.exclude exclude.', {
  minItems: 1,
  maxItems: MAX_PATHS,
});

const PLAN_COUNTS = object({ create: { type: 'integer' }, update: { type: 'integer' }, none: { type: 'integer' }, cannot: { type: 'integer' } }, ['create', 'update', 'none', 'cannot']);

export const AGENT_TOOLS: readonly AgentToolDefinition[] = [
  {
    name: TOOL_NAMES.validate,
    title: 'Validate coupon series',
    description:
      'Checks a Capillary coupon series file (*.coupon.json, {"CouponSeriesV2": {...}}) with the same rules as the editor and the `coupon validate` CLI: ' +
      'JSON syntax, the schema, and the cross-field rules. Give `path` (a file inside the workspace; in the editor its unsaved text is checked) or `content` (the text itself). ' +
      'Returns each problem with its code, severity (error: the API would refuse it; warning: inferred, never blocks sending), message, 1-based range, and quick fixes where the repair is unambiguous. ' +
      'Reads only; sends nothing. Use it after every edit of a coupon file, and before coupon_plan.',
    userDescription: 'Check a coupon series file with the editor\'s rules.',
    writes: 'nothing',
    inputSchema: object(
      {
        path: string('A coupon file inside the workspace, relative to its root.', { maxLength: MAX_PATH_LENGTH }),
        content: string('The text of a coupon file, instead of a path.', { maxLength: MAX_CONTENT_CHARS }),
      },
      [],
      { additionalProperties: false },
    ),
    outputSchema: outputOf(
      {
        file: string('The file checked, relative to the workspace root.'),
        problems: array(PROBLEM, 'Every problem, in the order of the text.'),
        counts: object({ errors: { type: 'integer' }, warnings: { type: 'integer' }, information: { type: 'integer' }, hints: { type: 'integer' } }, ['errors', 'warnings', 'information', 'hints']),
        truncated: boolean('More problems than listed (the counts have them all).'),
      },
      ['problems', 'counts'],
    ),
    annotations: { title: 'Validate coupon series', readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    referenceName: 'couponValidate',
    icon: '$(check)',
  },
  {
    name: TOOL_NAMES.explain,
    title: 'Explain a coupon rule or field',
    description:
      'Explains a rule by its `code` (as coupon_validate reports it): what it catches, its severity, its source (the vendor docs\' words it rests on, or why it is only inferred), and how to fix it. ' +
      'Or explains a field of CouponSeriesV2 by its `field` name (a nested one with dots, e.g. "productInfo.productType"): its type, meaning, allowed values with their meanings, the value that means unlimited, and an example. ' +
      'With neither, lists every rule code and field name. Reads only.',
    userDescription: 'Explain a coupon rule or a CouponSeriesV2 field.',
    writes: 'nothing',
    inputSchema: object(
      {
        code: string('A rule code, e.g. "redemption-limit-any-user".', { maxLength: 100 }),
        field: string('A field of CouponSeriesV2, e.g. "discountType" or "productInfo.productType".', { maxLength: 200 }),
      },
      [],
      { additionalProperties: false },
    ),
    outputSchema: {
      type: 'object',
      properties: {
        rule: object(
          {
            code: { type: 'string' },
            severity: { type: 'string', enum: ['error', 'warning'] },
            source: { type: 'string', enum: ['json', 'vendor docs', 'inferred', 'this tool'], description: 'Where the rule comes from.' },
            catches: string('What the rule catches.'),
            documentation: string('The rule\'s documentation (Markdown): where it applies, what it does not catch.'),
            quotes: array(object({ document: { type: 'string' }, text: { type: 'string' } }, ['document', 'text']), 'The vendor docs\' sentences the rule rests on, verbatim.'),
            whyInferred: string('Why the rule is only a warning (inferred rules).'),
            howToFix: string('How to fix what it reports.'),
            quickFix: boolean('coupon_validate offers a quick fix for it (where the repair is unambiguous).'),
          },
          ['code', 'severity', 'source', 'catches', 'howToFix', 'quickFix'],
        ),
        field: object(
          {
            name: { type: 'string' },
            path: array({ type: 'string' }, 'Its path in the file.'),
            type: { type: 'string' },
            meaning: { type: 'string' },
            allowedValues: array(object({ value: {}, meaning: { type: 'string' } }, ['value']), 'The documented values, with what each means.'),
            unlimitedValue: { type: 'integer', description: 'The value that means no limit.' },
            example: { description: 'An example value.' },
            default: { description: 'The default value.' },
            serverAssigned: boolean('Set by the server: leave it out of requests.'),
            notReturned: boolean('The server never returns it, so a comparison cannot judge it.'),
            inferred: string('What is inferred rather than documented about it.'),
            fields: array({ type: 'string' }, 'Its own fields, for an object.'),
          },
          ['name', 'path', 'type', 'meaning'],
        ),
        rules: array(object({ code: { type: 'string' }, severity: { type: 'string' }, catches: { type: 'string' } }, ['code', 'severity', 'catches']), 'Every rule.'),
        fields: array({ type: 'string' }, 'Every field of CouponSeriesV2.'),
        refused: REFUSED,
      },
      anyOf: [{ required: ['rule'] }, { required: ['field'] }, { required: ['rules', 'fields'] }, { required: ['refused'] }],
    },
    annotations: { title: 'Explain a coupon rule or field', readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    referenceName: 'couponExplain',
    icon: '$(book)',
  },
  {
    name: TOOL_NAMES.environments,
    title: 'List coupon environments',
    description:
      'Lists the environments coupon series can be planned, pushed and pulled on: the built-in "Local sandbox" and those the workspace settings define. ' +
      'For each: name, host, orgId, whether it is protected (production), which credentials are available (never a secret), and whether coupon_push may send there. Reads only local settings.',
    userDescription: 'List the environments and what may be done on them.',
    writes: 'nothing',
    inputSchema: object({}, [], { additionalProperties: false }),
    outputSchema: outputOf(
      {
        environments: array(
          object(
            {
              name: { type: 'string' },
              host: { type: 'string' },
              orgId: { type: 'integer' },
              protected: boolean('Production: a push there is always confirmed, and offered to an agent only when the user named it explicitly.'),
              credentials: {
                type: 'string',
                enum: ['demo', 'variables', 'stored', 'missing', 'refused'],
                description: 'demo: the sandbox\'s public user; variables: CAPILLARY_* are set and may go to this host; stored: kept in VS Code\'s secret storage; missing: none set; refused: the host was not named by the user, so credentials are never sent there.',
              },
              push: object({ allowed: { type: 'boolean' }, reason: { type: 'string' } }, ['allowed']),
            },
            ['name', 'host', 'protected', 'credentials', 'push'],
          ),
          'The environments.',
        ),
        warnings: array({ type: 'string' }, 'Problems in the settings.'),
      },
      ['environments', 'warnings'],
    ),
    annotations: { title: 'List coupon environments', readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    referenceName: 'couponEnvironments',
    icon: '$(server-environment)',
  },
  {
    name: TOOL_NAMES.plan,
    title: 'Plan a coupon push',
    description:
      'Shows what coupon_push would do on an environment, file by file: create, update (with the fields that would change) or none; whether the series changed on the server since the last push; ' +
      'and which files cannot be pushed (invalid, or their series there cannot be identified). Reads the server (several series per request) and never changes it. ' +
      'Returns the files and a planToken: coupon_push needs that token, and refuses it when a file or a series on the server changed since this plan. Show the plan to the user before pushing.',
    userDescription: 'Show what a push would create or update on an environment.',
    writes: 'nothing',
    inputSchema: object({ paths: PATHS_INPUT, environment: ENVIRONMENT_INPUT }, ['paths', 'environment'], { additionalProperties: false }),
    outputSchema: outputOf(
      {
        environment: { type: 'string' },
        key: string('The deployment key <orgId>@<host> of the environment, once its org is known.'),
        files: array(PLAN_ENTRY, 'One entry per file (the objects of coupon plan --json).'),
        counts: PLAN_COUNTS,
        failure: object({ kind: { type: 'string' }, message: { type: 'string' }, status: { type: 'integer' }, advice: array({ type: 'string' }, 'Advice ids.') }, ['kind', 'message']),
        planToken: string('Give it to coupon_push to do exactly this plan. Absent when the server could not be read.'),
        push: object({ allowed: { type: 'boolean' }, reason: { type: 'string' } }, ['allowed']),
      },
      ['environment', 'files', 'counts', 'push'],
    ),
    annotations: { title: 'Plan a coupon push', readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    referenceName: 'couponPlan',
    icon: '$(checklist)',
  },
  {
    name: TOOL_NAMES.push,
    title: 'Push coupon series',
    description:
      'Creates or updates the series of the files on an environment, as the coupon_plan that returned `planToken` showed, and records each series in its file\'s "deployments". ' +
      'Changes the server. Refused when the token is not from a plan of the same files and environment, or when a file or a series on the server changed since that plan (plan again and show it). ' +
      'Offered only for environments the user allowed; a series changed on the server since the last push, or gone from it, is refused (the user decides with the editor or the CLI). A file that fails keeps its text and does not stop the others.',
    userDescription: 'Create or update the series on an environment, as a plan showed.',
    writes: 'server',
    inputSchema: object(
      { paths: PATHS_INPUT, environment: ENVIRONMENT_INPUT, planToken: string('The planToken coupon_plan returned for these paths and this environment.', { maxLength: 200 }) },
      ['paths', 'environment', 'planToken'],
      { additionalProperties: false },
    ),
    outputSchema: outputOf(
      {
        environment: { type: 'string' },
        key: { type: 'string' },
        files: array(PUSH_ENTRY, 'Each file\'s plan entry with what was done.'),
        counts: object({ created: { type: 'integer' }, updated: { type: 'integer' }, upToDate: { type: 'integer' }, failed: { type: 'integer' } }, ['created', 'updated', 'upToDate', 'failed']),
      },
      ['environment', 'files', 'counts'],
    ),
    annotations: { title: 'Push coupon series', readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
    referenceName: 'couponPush',
    icon: '$(cloud-upload)',
  },
  {
    name: TOOL_NAMES.pull,
    title: 'Pull a coupon series',
    description:
      'Fetches a series from an environment into the workspace. With `id`: writes it as a new file in `folder` (default the workspace root): <id>.coupon.json, or the next free name; ' +
      'when a file there already records that very series, that file is named and nothing is written. With `path`: brings that file up to date with the series it records on the environment, ' +
      'keeping the fields the server does not return; refused when the file has changes not pushed yet. Never replaces another series\' file. Sends nothing that changes the server.',
    userDescription: 'Fetch a series from an environment into a file.',
    writes: 'file',
    inputSchema: object(
      {
        id: integer('The series id on the environment, to fetch into a new file.', { minimum: 1 }),
        path: string('A coupon file inside the workspace that records the series on the environment, to bring up to date.', { maxLength: MAX_PATH_LENGTH }),
        folder: string('With id: the folder to write into, relative to the workspace root (default the root).', { maxLength: MAX_PATH_LENGTH }),
        environment: ENVIRONMENT_INPUT,
      },
      ['environment'],
      { additionalProperties: false },
    ),
    outputSchema: outputOf(
      {
        environment: { type: 'string' },
        file: string('The file that holds the series now, relative to the workspace root.'),
        id: { type: 'integer' },
        key: { type: 'string' },
        existing: boolean('With id: the file was there already (it records this series): nothing was written.'),
        written: boolean('The file was written or changed.'),
        changed: array({ type: 'string' }, 'With path: the fields taken from the server.'),
        kept: array({ type: 'string' }, 'With path: the fields the server does not return, kept as the file had them.'),
        toFillIn: array({ type: 'string' }, 'Fields the series needs that the server does not return, with why.'),
      },
      ['environment', 'file', 'id', 'written', 'toFillIn'],
    ),
    annotations: { title: 'Pull a coupon series', readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
    referenceName: 'couponPull',
    icon: '$(cloud-download)',
  },
];

export function toolDefinition(name: string): AgentToolDefinition | undefined {
  return AGENT_TOOLS.find((tool) => tool.name === name);
}

/** One entry of package.json's `contributes.languageModelTools`. */
export interface LanguageModelToolContribution {
  name: string;
  displayName: string;
  modelDescription: string;
  userDescription: string;
  toolReferenceName: string;
  canBeReferencedInPrompt: boolean;
  icon: string;
  tags: string[];
  inputSchema: JsonSchema;
}

/** package.json's `contributes.languageModelTools`, generated from the definitions (VS Code has no output schema or annotations there). */
export function languageModelToolsManifest(): LanguageModelToolContribution[] {
  return AGENT_TOOLS.map((tool) => ({
    name: tool.name,
    displayName: tool.title,
    modelDescription: tool.description,
    userDescription: tool.userDescription,
    toolReferenceName: tool.referenceName,
    canBeReferencedInPrompt: true,
    icon: tool.icon,
    tags: ['coupon-series'],
    inputSchema: tool.inputSchema,
  }));
}
