/**
 * The one engine for everything that talks to the API, used by the extension
 * and the CLI alike: connections, file status and plans, create/update/push
 * with deployments recorded under a file lock, compare and pull. The front
 * ends inject credentials, the network and file access; they wire, prompt and print.
 */
export * from './connection';
export type { LockedFile, LockOptions, SeriesFiles } from './files';
export * from './operations';
export * from './problems';
export type { AnalyzedFile, FileStatus, PushAction, SeriesState } from './status';
export { analyzeFile, blockingErrors } from './status';
