/**
 * What the sandbox answers, shaped like the real API: v2 error bodies, the
 * access-group denial, and series with server-owned fields filled in and the
 * fields the real create response leaves out left out.
 */
import { FIELDS_NOT_RETURNED } from '../schema';
import type { StoredSeries } from './store';

/**
 * Error codes in sandbox answers. 8015, 4000, 707, 786 and 320001 are the
 * vendor's (FACTS.md); the others are the sandbox's own (the docs give no
 * number for "mandatory field missing").
 */
export const SANDBOX_ERROR_CODES = {
  invalidInput: 8015,
  mandatoryFieldMissing: 8016,
  authenticationFailed: 8001,
  unsupportedMediaType: 8002,
  noSuchEndpoint: 8003,
  serverError: 8004,
  accessDenied: 4000,
  seriesIdInvalid: 707,
  retryLater: 786,
  invalidClient: 320001,
} as const;


export interface Reply {
  status: number;
  /** JSON-serialised unless it is a string (then sent as HTML). */
  body: unknown;
  headers?: Record<string, string>;
}

export function v2Error(status: number, entries: readonly { code: number; message: string }[]): Reply {
  return { status, body: { warnings: [], errors: entries.map((entry) => ({ status: false, ...entry })) } };
}

export function accessDenied(): Reply {
  return { status: 403, body: { errorCode: SANDBOX_ERROR_CODES.accessDenied, message: 'Not authorized. Access is denied!' } };
}

export function gatewayErrorPage(): Reply {
  return {
    status: 502,
    body: '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n',
  };
}

function daysBetween(fromIso: string, toIso: unknown): number | undefined {
  if (typeof toIso !== 'string') return undefined;
  const days = Math.ceil((Date.parse(toIso) - Date.parse(fromIso)) / 86_400_000);
  return Number.isNaN(days) ? undefined : Math.max(0, days);
}

/** Epoch ms of a stored (UTC `Z`) date, or 0. */
function epochMs(value: unknown): number {
  const time = typeof value === 'string' ? Date.parse(value) : NaN;
  return Number.isNaN(time) ? 0 : time;
}

/**
 * A stored series as the API answers it: bare, with every field of the docs'
 * response table. Request fields as stored (those the server never returns left
 * out), ids, counters, and the server-owned fields with the values of the docs'
 * example where they are constants. A request field never sent is absent.
 */
export function seriesAnswer(stored: StoredSeries): Record<string, unknown> {
  const { customPropertyMap, ...fields } = stored.fields;
  for (const name of FIELDS_NOT_RETURNED) delete fields[name];
  const termsAndConditions = (customPropertyMap as Record<string, unknown> | undefined)?.standard_terms_and_conditions;
  return {
    ...(customPropertyMap === undefined ? {} : { customPropertyMap }),
    id: stored.id,
    orgId: stored.orgId,
    ...fields,
    validDaysFromCreation: daysBetween(stored.createdOn, fields.validTillDate) ?? 0,
    isTransferrable: false,
    isValidationRequired: false,
    createdBy: 1,
    numIssued: stored.numIssued,
    numRedeemed: stored.numRedeemed,
    createdOn: stored.createdOn,
    lastUsed: stored.lastModifiedOn,
    seriesCode: stored.seriesCode,
    storeIdsJson: '[-1]',
    isDvsEnabled: false,
    dvsExpiryDate: `${stored.createdOn.slice(0, 10)}T00:00:00Z`,
    priority: 0,
    shortSMSTemplate: 'Hello {{cust_name}}, your voucher code is {{voucher_code}}',
    maxReferralsPerReferee: -1,
    discountUpto: 0,
    dvsItems: '',
    redeemAtStore: '[-1]',
    campaignId: -1,
    tag: typeof fields.description === 'string' ? fields.description : '',
    sourceOrgId: -1,
    issueToLoyalty: false,
    redeemStoreType: 'redeemable_stores',
    offlineRedeemType: false,
    isOldFlowEnabled: false,
    isPreRedeemEventRequired: false,
    termsAndConditions: typeof termsAndConditions === 'string' ? termsAndConditions : '',
    signalRedemptionEvent: false,
    syncToClient: false,
    showPinCode: false,
    numUploadedNonIssued: 0,
    numUploadedTotal: 0,
    ownedBy: 'NONE',
    ownerId: -1,
    ownerValidity: 0,
    shortCodeLength: 0,
    fixedExpiryDate: epochMs(fields.validTillDate),
    numTotal: stored.numIssued,
    latestIssualTime: 0,
    latestRedemptionTime: 0,
    seriesType: 'UNDEFINED',
    discountOn: 'BILL',
    updateProductData: false,
    externalIssual: false,
    warnings: [],
  };
}
