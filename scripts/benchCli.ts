/**
 * `coupon validate` over 1,000 files of the vendor example's size, timed end to
 * end as a real process (`node dist/cli.js validate DIR --format json`): node
 * start-up, finding and reading the files, validation, output. Run by the
 * project's bench; prints figures, asserts nothing.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');
const FILES = 1000;
const RUNS = 3;
/** The budget for 1,000 files. */
const BUDGET_MS = 2000;

function runOnce(dir: string): Promise<{ ms: number; files: number; code: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [CLI, 'validate', dir, '--format', 'json'], { maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const ms = performance.now() - started;
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      try {
        const report = JSON.parse(stdout) as { summary: { files: number } };
        resolve({ ms, files: report.summary.files, code });
      } catch {
        reject(new Error(`coupon validate failed (exit ${code}): ${stderr.trim()}`));
      }
    });
  });
}

export async function benchCliValidate(): Promise<string[]> {
  if (!existsSync(CLI)) return [`coupon validate: skipped, ${path.relative(REPO_ROOT, CLI)} is missing (npm run build)`];
  const example = readFileSync(path.join(REPO_ROOT, 'test', 'fixtures', 'valid', 'vendor-example.coupon.json'), 'utf8');
  const dir = await mkdtemp(path.join(tmpdir(), 'coupon-bench-cli-'));
  try {
    // Ten folders of a hundred, like a repository that groups its series.
    await Promise.all(Array.from({ length: FILES / 100 }, (_, group) => mkdir(path.join(dir, `group-${group}`))));
    await Promise.all(Array.from({ length: FILES }, (_, index) => writeFile(path.join(dir, `group-${Math.floor(index / 100)}`, `series-${index}.coupon.json`), example)));
    const times: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const result = await runOnce(dir);
      if (result.files !== FILES || result.code !== 0) throw new Error(`coupon validate checked ${result.files} files, exit ${result.code}`);
      times.push(result.ms);
    }
    times.sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)];
    return [
      `coupon validate, ${FILES} files of ${(Buffer.byteLength(example) / 1024).toFixed(1)} KB as a process (--format json), ${RUNS} runs:`,
      `  min ${times[0].toFixed(0)} ms  median ${median.toFixed(0)} ms  (budget ${BUDGET_MS} ms: ${median < BUDGET_MS ? 'within' : 'OVER'})`,
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  benchCliValidate().then(
    (lines) => console.log(lines.join('\n')),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
