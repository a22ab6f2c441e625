/** Helpers for the CLI tests: run `coupon` in-process or as `node dist/cli.js`, temp folders, secrets to look for. */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { basicAuthorization, md5Hex } from '../../core/src/api';
import { SANDBOX_CLIENT_KEY, SANDBOX_CLIENT_SECRET, SANDBOX_PASSWORD, SANDBOX_USERNAME } from '../../core/src/sandbox';
import { runCli } from '../../cli/src/cli';
import { REPO_ROOT } from '../support/testUtil';

export const CLI_BUNDLE = path.join(REPO_ROOT, 'dist', 'cli.js');

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

class Capture {
  text = '';
  constructor(readonly isTTY: boolean) {}
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}

/** `coupon ...args` in this process: no environment inherited unless given. */
export async function coupon(args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv; tty?: boolean; signal?: AbortSignal }): Promise<RunResult> {
  const stdout = new Capture(options.tty ?? false);
  const stderr = new Capture(options.tty ?? false);
  const code = await runCli(args, { stdout, stderr, cwd: options.cwd, env: options.env ?? {}, ...(options.signal ? { signal: options.signal } : {}) });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

export function assertBundleBuilt(): void {
  assert.ok(existsSync(CLI_BUNDLE), `${CLI_BUNDLE} is missing: run npm run build first`);
}

/** `node dist/cli.js ...args` as a real process, with only PATH and `env` in its environment. */
export function couponProcess(args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<RunResult & { ms: number }> {
  assertBundleBuilt();
  const started = performance.now();
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI_BUNDLE, ...args],
      { cwd: options.cwd, env: { PATH: process.env.PATH ?? '', ...options.env }, timeout: options.timeoutMs ?? 30_000, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 99) : 0;
        resolve({ code, stdout, stderr, ms: performance.now() - started });
      },
    );
  });
}

/** A temporary folder holding `files` (relative path → content); removed by `cleanup`. */
export async function tempFolder(files: Record<string, string> = {}): Promise<{ dir: string; cleanup(): Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'coupon-cli-'));
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), content);
  }
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export const BASIC_ENV: NodeJS.ProcessEnv = { CAPILLARY_USERNAME: SANDBOX_USERNAME, CAPILLARY_PASSWORD: SANDBOX_PASSWORD };
export const OAUTH_ENV: NodeJS.ProcessEnv = { CAPILLARY_CLIENT_KEY: SANDBOX_CLIENT_KEY, CAPILLARY_CLIENT_SECRET: SANDBOX_CLIENT_SECRET };

/** Every form a secret could leak in: the password, its MD5, the Basic header value, the client secret. */
export const SECRET_FORMS: readonly string[] = [
  SANDBOX_PASSWORD,
  md5Hex(SANDBOX_PASSWORD),
  basicAuthorization(SANDBOX_USERNAME, md5Hex(SANDBOX_PASSWORD)).slice('Basic '.length),
  SANDBOX_CLIENT_SECRET,
];

export function assertNoSecrets(result: RunResult, what: string): void {
  for (const secret of SECRET_FORMS) {
    assert.ok(!result.stdout.includes(secret), `${what}: stdout shows a secret (${secret.slice(0, 3)}…)`);
    assert.ok(!result.stderr.includes(secret), `${what}: stderr shows a secret (${secret.slice(0, 3)}…)`);
  }
}

/** An API command's stderr without its first line, which says where it sends ("coupon: sending to ..."): asserted present. */
export function afterTargetLine(stderr: string): string {
  assert.match(stderr, /^coupon: sending to [^\n]+\n/, 'an API command says where it sends before it sends');
  return stderr.slice(stderr.indexOf('\n') + 1);
}
