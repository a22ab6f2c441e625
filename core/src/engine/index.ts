/**
 * The one engine for everything that talks to the API, used by the extension,
 * the CLI and the agent tools alike: connections, file status and plans,
 * create/update/push with deployments recorded under a file lock, compare and
 * pull, failures as data with their advice, and the results in words. The
 * front ends inject credentials, the network and file access; they wire,
 * prompt and word. They import this, not `../api`.
 */
export * from './connection';
export * from './describe';
export * from './failures';
export type { LockedFile, LockOptions, SeriesFiles } from './files';
export * from './operations';
export * from './problems';
export type { AnalyzedFile, FileStatus, PushAction, RecordedSeries, SeriesState } from './status';
export { analyzeFile, blockingErrors, recordedSeries } from './status';
// What the front ends need of the API client: credential and token types, the scrubber, hosts.
export { checkBaseUrl, md5Hex, MAX_RESPONSE_BYTES, SecretScrubber } from '../api';
export type { Credentials, LogLevel, StoredToken, TokenStore } from '../api';
export { formatBytes } from '../api/transport';
export * from './reports';
