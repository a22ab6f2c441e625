/**
 * What "create", "update", "compare" and "pull" mean for a coupon file,
 * independent of who asks (the editor's commands or the `coupon` CLI): validate
 * first and send nothing on an error, never create a file that already has an
 * id, write the server's ids back with a minimal edit, and leave the text alone
 * on any failure (the caller writes the returned text only on success).
 */
import { Diagnostic } from 'vscode-json-languageservice';
import { CallOptions, CouponApiClient, CouponSeries, CouponSeriesRequest, ServerCouponSeries } from './api/client';
import { compareWithServer, requestFields, SeriesComparison, SERVER_ASSIGNED_FIELDS, seriesFromServer, writeServerIds } from './series';
import { SERIES_KEY } from './schema';
import { ValidationOptions, validateCouponSeries } from './validate';

export type SeriesFileProblemKind = 'invalid' | 'already-created' | 'not-created';

/** The file cannot be sent as it is; `diagnostics` holds the errors for `invalid`. */
export class SeriesFileProblem extends Error {
  constructor(
    message: string,
    readonly kind: SeriesFileProblemKind,
    readonly diagnostics: readonly Diagnostic[] = [],
  ) {
    super(message);
    this.name = 'SeriesFileProblem';
  }
}

export interface PreparedSeries {
  /** The series as the file holds it (request fields plus id/seriesCode/orgId). */
  series: CouponSeries;
  /** Warnings do not block sending; callers may show them. */
  warnings: Diagnostic[];
}

/** Validates the text and returns its series, or throws a SeriesFileProblem listing the errors. */
export function prepareSeries(text: string, options: ValidationOptions = {}): PreparedSeries {
  const diagnostics = validateCouponSeries(text, options);
  const errors = diagnostics.filter((diagnostic) => diagnostic.severity === 1);
  if (errors.length > 0) {
    const first = errors[0];
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
    throw new SeriesFileProblem(`The file has ${errors.length} error${errors.length > 1 ? 's' : ''}, so nothing was sent: line ${first.range.start.line + 1}: ${String(first.message)}${more}`, 'invalid', errors);
  }
  const series = (JSON.parse(text) as Record<string, CouponSeries>)[SERIES_KEY];
  return { series, warnings: diagnostics };
}

/** A usable series id: a positive whole number (the schema's `id`). */
export function isSeriesId(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
}

/** The id of a file's series, if it has been created on a server. */
export function seriesId(text: string): number | undefined {
  try {
    const id = (JSON.parse(text) as Record<string, CouponSeries | undefined>)[SERIES_KEY]?.id;
    return isSeriesId(id) ? id : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The text with a created series' ids written in (minimal edit). Refuses to
 * overwrite a different id the text gained meanwhile (another create of the
 * same file), unless `replace` (a deliberate re-create after a 404).
 */
export function textWithCreatedIds(text: string, server: ServerCouponSeries, replace = false): string {
  const existing = seriesId(text);
  if (existing !== undefined && existing !== server.id && !replace) {
    throw new SeriesFileProblem(`Series ${server.id} was created, but the file now holds series ${existing}: its id was not changed. Check both on the server.`, 'already-created');
  }
  return writeServerIds(text, { id: server.id, seriesCode: server.seriesCode, orgId: server.orgId });
}

/**
 * The body of a create: the request fields only. Server-owned response fields
 * (a warning in the editor) are left out, and so are id, seriesCode and orgId,
 * which the server assigns.
 */
export function createRequestBody(series: CouponSeries): CouponSeriesRequest {
  const fields = requestFields(series);
  for (const name of SERVER_ASSIGNED_FIELDS) delete fields[name];
  return { CouponSeriesV2: fields };
}

/** The body of an update: the request fields with id and seriesCode (update's mandatory list). */
export function updateRequestBody(series: CouponSeries): CouponSeriesRequest {
  return { CouponSeriesV2: requestFields(series) };
}

export interface SendResult {
  server: ServerCouponSeries;
  /** The file's new text: with the server's ids after a create; unchanged after an update. */
  text: string;
  warnings: Diagnostic[];
}

export interface CreateOptions extends CallOptions, ValidationOptions {
  /** Create a new series even though the file holds an id (its series is gone: update answered 404). */
  asNewSeries?: boolean;
}

/** POST the file's series (once: a create is never retried) and return the text with the ids written back. */
export async function createSeriesFromFile(client: CouponApiClient, text: string, options: CreateOptions = {}): Promise<SendResult> {
  const { series, warnings } = prepareSeries(text, options);
  if (series.id !== undefined && !options.asNewSeries) {
    throw new SeriesFileProblem(`This file already holds series ${String(series.id)}: creating it again would make a duplicate. Use Update instead.`, 'already-created');
  }
  const server = await client.createSeries(createRequestBody(series), options);
  return { server, text: textWithCreatedIds(text, server, options.asNewSeries), warnings };
}

/** PUT the file's series to /v2/coupon/series/{id}; the file's text does not change. */
export async function updateSeriesFromFile(client: CouponApiClient, text: string, options: CallOptions & ValidationOptions = {}): Promise<SendResult> {
  const { series, warnings } = prepareSeries(text, options);
  if (!isSeriesId(series.id)) {
    throw new SeriesFileProblem('This file has no "id" yet: the series has not been created on a server. Use Create instead.', 'not-created');
  }
  const server = await client.updateSeries(series.id, updateRequestBody(series), options);
  return { server, text, warnings };
}

export interface FileComparison extends SeriesComparison {
  id: number;
}

/** Fetches the file's series and compares the two, reduced to the fields a file carries. */
export async function compareFileWithServer(client: CouponApiClient, text: string, options: CallOptions = {}): Promise<FileComparison> {
  let series: CouponSeries | undefined;
  try {
    series = (JSON.parse(text) as Record<string, CouponSeries | undefined>)[SERIES_KEY];
  } catch {
    throw new SeriesFileProblem('The file is not valid JSON: fix it before comparing.', 'invalid');
  }
  if (!series || !isSeriesId(series.id)) {
    throw new SeriesFileProblem('This file has no "id" yet: there is nothing on the server to compare it with. Use Create first.', 'not-created');
  }
  const id = series.id;
  const found = await client.getSeries(id, options);
  const server = found.find((candidate) => candidate.id === id) ?? found[0];
  return { id, ...compareWithServer(series, server) };
}

/** The text of a new file holding the server's series (request fields only, our date format). */
export async function pullSeriesText(client: CouponApiClient, id: number, options: CallOptions = {}): Promise<string> {
  const found = await client.getSeries(id, options);
  const server = found.find((candidate) => candidate.id === id) ?? found[0];
  return `${JSON.stringify(seriesFromServer(server), null, 2)}\n`;
}

/** The two sides of a comparison as pretty-printed JSON texts, for a diff view. */
export function comparisonTexts(comparison: SeriesComparison): { server: string; file: string } {
  return {
    server: `${JSON.stringify({ [SERIES_KEY]: comparison.left }, null, 2)}\n`,
    file: `${JSON.stringify({ [SERIES_KEY]: comparison.right }, null, 2)}\n`,
  };
}
