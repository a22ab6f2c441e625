/**
 * What the sandbox's API decides, apart from HTTP: which endpoint a request
 * is for, whether the caller may call it, what the docs say the server
 * refuses (checks.ts), what it stores and what it answers. server.ts reads
 * the request off the socket, injects faults and writes the reply.
 */
import { randomBytes } from 'node:crypto';
import { OAUTH_TOKEN_PATH } from '../api/auth';
import { SERIES_PATH } from '../api/client';
import { SERIES_KEY } from '../schema';
import { isJsonObject, JsonObject, parseJsonOrUndefined } from '../util';
import { Principal, SandboxAuth } from './auth';
import { CheckFailure, createFailures, DATE_FIELDS, serverInstant, STORED_REQUEST_FIELDS, updateFailures, utcText } from './checks';
import type { SandboxAccess } from './credentials';
import type { FaultSwitches } from './faults';
import { accessDenied, Reply, SANDBOX_ERROR_CODES as CODES, seriesAnswer, v2Error } from './responses';
import { SeriesStore, StoredSeries } from './store';

/** An API request as the endpoints see it: what was asked, by whom, with which body. */
export interface ApiRequest {
  method: string;
  url: URL;
  /** The Content-Type header, when there is one. */
  contentType: string | undefined;
  /** Whom the request's credentials name; undefined when they are missing or refused. */
  caller: Principal | undefined;
  bodyText: string;
}

/** What the docs leave open, as the sandbox's options chose it. */
export interface EndpointBehaviour {
  /** What an update does with a request field it does not carry: `replace` resets it, `merge` keeps the stored value. */
  updateMode: 'replace' | 'merge';
  /** The custom property keys the org has set up (others are dropped from `customPropertyMap`), or `all`. */
  customPropertyKeys: readonly string[] | 'all';
}

const SERIES_ID_PATH = new RegExp(`^${SERIES_PATH}/(\\d+)$`);

export function invalidInput(message: string): Reply {
  return v2Error(400, [{ code: CODES.invalidInput, message }]);
}

/** The refusals as one v2 error answer: a 403 "mandatory field missing" when there is one, else a 400 listing each. */
function refusal(failures: readonly CheckFailure[]): Reply {
  const forbidden = failures.find((failure) => failure.status === 403);
  if (forbidden) return v2Error(403, [{ code: CODES.mandatoryFieldMissing, message: forbidden.message }]);
  return v2Error(400, failures.map((failure) => ({ code: CODES.invalidInput, message: failure.message })));
}

function unknownSeries(ids: readonly (number | string)[]): Reply {
  return v2Error(404, [{ code: CODES.seriesIdInvalid, message: `Coupon series id is invalid: no series ${ids.join(', ')}.` }]);
}

function nowUtc(): string {
  return utcText(Date.now());
}

/** Parses a create/update body: the series object, or the error reply. */
function seriesFromBody(bodyText: string): { series: JsonObject } | { reply: Reply } {
  let body: unknown;
  try {
    body = JSON.parse(bodyText);
  } catch (error) {
    return { reply: invalidInput(`The request body is not valid JSON: ${(error as Error).message}`) };
  }
  const series = isJsonObject(body) ? body[SERIES_KEY] : undefined;
  return isJsonObject(series) ? { series } : { reply: invalidInput(`The body must be {"${SERIES_KEY}": {...}}.`) };
}

/** The caller when it may do `needed`, else the 401 or access-group 403 reply. */
function requireAccess(caller: Principal | undefined, needed: SandboxAccess): { caller: Principal } | { reply: Reply } {
  if (!caller) return { reply: v2Error(401, [{ code: CODES.authenticationFailed, message: 'Authentication failed: unknown user, wrong password hash, or an invalid or expired token.' }]) };
  if (needed === 'write' && caller.access !== 'write') return { reply: accessDenied() };
  return { caller };
}

function requireJson(request: ApiRequest): Reply | undefined {
  if (/^application\/json\b/i.test(request.contentType ?? '')) return undefined;
  return v2Error(415, [{ code: CODES.unsupportedMediaType, message: `Content-Type must be application/json, not "${request.contentType ?? 'none'}".` }]);
}

export class SandboxEndpoints {
  constructor(
    private readonly store: SeriesStore,
    private readonly auth: SandboxAuth,
    private readonly faults: FaultSwitches,
    private readonly behaviour: EndpointBehaviour,
  ) {}

  async answer(request: ApiRequest): Promise<Reply> {
    const { method, url } = request;
    const methodNotAllowed = () => v2Error(405, [{ code: CODES.noSuchEndpoint, message: `${method} is not supported on ${url.pathname}.` }]);
    if (url.pathname === OAUTH_TOKEN_PATH) {
      if (method !== 'POST') return methodNotAllowed();
      return requireJson(request) ?? this.token(request.bodyText);
    }
    const idMatch = SERIES_ID_PATH.exec(url.pathname);
    if (url.pathname !== SERIES_PATH && !idMatch) return v2Error(404, [{ code: CODES.noSuchEndpoint, message: `No endpoint ${method} ${url.pathname}.` }]);
    if (url.pathname === SERIES_PATH ? method !== 'GET' && method !== 'POST' : method !== 'PUT') return methodNotAllowed();
    const access = requireAccess(request.caller, method === 'GET' ? 'read' : 'write');
    if ('reply' in access) return access.reply;
    if (method === 'GET') return this.read(access.caller, url);
    const notJson = requireJson(request);
    if (notJson) return notJson;
    return idMatch ? this.update(access.caller, Number(idMatch[1]), request.bodyText) : this.create(access.caller, request.bodyText);
  }

  private async create(caller: Principal, bodyText: string): Promise<Reply> {
    const parsed = seriesFromBody(bodyText);
    if ('reply' in parsed) return parsed.reply;
    const failures = createFailures(parsed.series);
    if (failures.length > 0) return refusal(failures);
    const now = nowUtc();
    const stored = await this.store.add({
      seriesCode: randomBytes(10).toString('hex').toUpperCase(),
      orgId: caller.orgId,
      fields: this.storedFields(parsed.series),
      createdOn: now,
      lastModifiedOn: now,
      numIssued: 0,
      numRedeemed: 0,
    });
    return { status: 200, body: seriesAnswer(stored) };
  }

  private async update(caller: Principal, id: number, bodyText: string): Promise<Reply> {
    const stored = this.store.get(caller.orgId, id);
    if (!stored) return unknownSeries([id]);
    const parsed = seriesFromBody(bodyText);
    if ('reply' in parsed) return parsed.reply;
    const { series } = parsed;
    const failures = updateFailures(series);
    if (failures.length > 0) return refusal(failures);
    // FACTS.md: "maxCreate on update must be greater than the number already issued".
    const maxCreate = series.maxCreate;
    if (typeof maxCreate === 'number' && maxCreate !== -1 && maxCreate <= stored.numIssued) {
      return invalidInput(`"maxCreate" (${maxCreate}) must be greater than the number of coupons already issued (${stored.numIssued}).`);
    }
    const sent = this.storedFields(series);
    const fields = this.behaviour.updateMode === 'merge' ? { ...stored.fields, ...sent } : sent;
    const updated: StoredSeries = { ...stored, fields, lastModifiedOn: nowUtc() };
    await this.store.replace(updated);
    return { status: 200, body: seriesAnswer(updated) };
  }

  private read(caller: Principal, url: URL): Reply {
    const raw = url.searchParams.getAll('ids').flatMap((value) => value.split(',')).map((value) => value.trim()).filter((value) => value !== '');
    if (raw.length === 0) return invalidInput('Give the series to read as ?ids=<id> (several allowed).');
    const bad = raw.find((value) => !/^\d+$/.test(value));
    if (bad !== undefined) return invalidInput(`"${bad}" is not a series id.`);
    const found = raw.map((id) => this.store.get(caller.orgId, Number(id))).filter((series): series is StoredSeries => series !== undefined);
    if (found.length === 0) return unknownSeries(raw);
    if (found.length < raw.length && this.faults.take('wholeBatchNotFound', 'GET', url.pathname)) {
      return unknownSeries(raw.filter((id) => !found.some((series) => series.id === Number(id))));
    }
    return { status: 200, body: { entity: found.map(seriesAnswer), warnings: [] } };
  }

  private token(bodyText: string): Reply {
    const body = parseJsonOrUndefined(bodyText);
    const issued = isJsonObject(body) ? this.auth.issueToken(body.key, body.secret) : undefined;
    if (!issued) return { status: 401, body: { data: null, errors: [{ code: CODES.invalidClient, message: 'Invalid client key and secret' }] } };
    return { status: 200, body: { data: issued, errors: null } };
  }

  /** The request fields the server keeps: known request fields only, dates in UTC `Z`, custom properties the org knows. */
  private storedFields(series: JsonObject): JsonObject {
    const { customPropertyKeys } = this.behaviour;
    const fields: JsonObject = {};
    for (const [name, value] of Object.entries(series)) {
      if (!STORED_REQUEST_FIELDS.has(name)) continue;
      if (DATE_FIELDS.includes(name) && typeof value === 'string') {
        const instant = serverInstant(value);
        fields[name] = instant === undefined ? value : utcText(instant);
      } else if (name === 'customPropertyMap' && isJsonObject(value) && customPropertyKeys !== 'all') {
        fields[name] = Object.fromEntries(Object.entries(value).filter(([key]) => customPropertyKeys.includes(key)));
      } else {
        fields[name] = value;
      }
    }
    return fields;
  }
}
