/**
 * `npm start` as a person (or an IDE) runs it, with a stub `code` on the PATH
 * standing in for VS Code: the demo edits a copy of examples/, the sandbox
 * answers, SIGINT sent to npm's own PID (not the group) stops everything, and
 * `git status` is the same afterwards. A busy port is an error that says what
 * to do. (The code-server path needs a prepared code-server: the e2e suite.)
 */
import assert from 'node:assert/strict';
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { parse } from 'jsonc-parser';
import { sandboxAnswers } from '../../core/src/sandbox';
import { alive, descendants, freePort } from '../e2e/harness';
import { REPO_ROOT } from '../support/testUtil';

const START_SCRIPT = path.join(REPO_ROOT, 'out', 'scripts', 'start.js');

function gitStatus(): string {
  const result = spawnSync('git', ['status', '--porcelain', '--untracked-files=all'], { cwd: REPO_ROOT, encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  return result.stdout;
}


/** Collects a child's output and resolves when it matches `pattern` (or rejects when the child exits first). */
function output(child: ChildProcess): { text(): string; waitFor(pattern: RegExp, timeoutMs: number): Promise<void>; exited: Promise<number | NodeJS.Signals> } {
  let text = '';
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    text += chunk.toString();
    for (const listener of listeners) listener();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<number | NodeJS.Signals>((resolve) => child.once('exit', (code, signal) => resolve(code ?? (signal as NodeJS.Signals))));
  return {
    text: () => text,
    exited,
    waitFor(pattern, timeoutMs) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${pattern} within ${timeoutMs} ms; output:\n${text}`)), timeoutMs);
        const check = () => {
          if (!pattern.test(text)) return;
          clearTimeout(timer);
          listeners.delete(check);
          resolve();
        };
        listeners.add(check);
        void exited.then((how) => {
          clearTimeout(timer);
          if (!pattern.test(text)) reject(new Error(`exited (${how}) before ${pattern}; output:\n${text}`));
        });
        check();
      });
    },
  };
}

test('npm start: demo on a copy of examples/, SIGINT to npm\'s own PID stops everything, git status unchanged', { timeout: 180_000 }, async () => {
  const temp = mkdtempSync(path.join(tmpdir(), 'coupon-start-'));
  const bin = path.join(temp, 'bin');
  const argsFile = path.join(temp, 'code-args.txt');
  mkdirSync(bin);
  // VS Code's `code` hands the folder to a window and returns: so does the stub.
  writeFileSync(path.join(bin, 'code'), `#!/bin/sh\nprintf '%s\\n' "$@" > '${argsFile}'\n`);
  chmodSync(path.join(bin, 'code'), 0o755);
  const demoDir = path.join(temp, 'demo');
  const sandboxPort = await freePort();
  const before = gitStatus();

  // Its own process group, so the signal below reaches npm's PID only, as an IDE's stop button sends it.
  const npm = spawn('npm', ['start', '--', '--no-build', '--dir', demoDir, '--sandbox-port', String(sandboxPort)], {
    cwd: REPO_ROOT,
    env: { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}` },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const out = output(npm);
  try {
    await out.waitFor(/The sandbox runs until Ctrl\+C/, 150_000);

    const demo = path.join(demoDir, 'examples');
    assert.deepEqual(readFileSync(argsFile, 'utf8').trim().split('\n'), [`--extensionDevelopmentPath=${REPO_ROOT}`, demo]);
    const examples = readdirSync(path.join(REPO_ROOT, 'examples')).sort();
    assert.deepEqual(readdirSync(demo).sort(), examples, 'the copy holds the examples');
    for (const name of examples.filter((file) => file.endsWith('.coupon.json'))) {
      assert.equal(readFileSync(path.join(demo, name), 'utf8'), readFileSync(path.join(REPO_ROOT, 'examples', name), 'utf8'), name);
    }
    const settings = parse(readFileSync(path.join(demo, '.vscode', 'settings.json'), 'utf8')) as Record<string, unknown>;
    assert.equal(settings['couponSeries.sandboxPort'], sandboxPort, 'the copy talks to the sandbox on the chosen port');
    assert.ok(await sandboxAnswers(sandboxPort), 'the sandbox answers');

    const tree = [npm.pid!, ...descendants(npm.pid!)];
    assert.ok(tree.length >= 2, `npm and its child: ${tree.join(', ')}`);
    process.kill(npm.pid!, 'SIGINT');
    let timer: NodeJS.Timeout | undefined;
    const how = await Promise.race([out.exited, new Promise((resolve) => (timer = setTimeout(() => resolve('still running'), 20_000)))]);
    clearTimeout(timer);
    assert.notEqual(how, 'still running', `npm stopped on SIGINT to its PID; output:\n${out.text()}`);
    assert.match(out.text(), /\[start\] stopping/);
    assert.deepEqual(tree.filter(alive), [], 'no process of the tree is left');
    assert.equal(await sandboxAnswers(sandboxPort), false, 'the sandbox is stopped');
    assert.equal(gitStatus(), before, 'git status is unchanged');
  } finally {
    try {
      process.kill(-npm.pid!, 'SIGKILL');
    } catch {
      // Already gone (the expected case).
    }
    rmSync(temp, { recursive: true, force: true });
  }
});

test('npm start: a busy port is an error that says what to do; --help lists the options', async () => {
  const busy = net.createServer();
  await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
  const port = (busy.address() as net.AddressInfo).port;
  const temp = mkdtempSync(path.join(tmpdir(), 'coupon-start-'));
  try {
    const editor = spawnSync(process.execPath, [START_SCRIPT, '--code-server', '--no-build', '--dir', temp, '--port', String(port)], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(editor.status, 1, editor.stdout + editor.stderr);
    assert.match(editor.stderr, new RegExp(`port ${port} on 127\\.0\\.0\\.1 is in use .*npm start -- --port ${port + 1} \\(or COUPON_START_PORT=${port + 1} npm start\\)`));
    assert.deepEqual(readdirSync(temp), [], 'nothing was started or copied');

    const sandbox = spawnSync(process.execPath, [START_SCRIPT, '--code-server', '--no-build', '--dir', temp, '--sandbox-port', String(port), '--port', String(await freePort())], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    assert.equal(sandbox.status, 1, sandbox.stdout + sandbox.stderr);
    assert.match(sandbox.stderr, new RegExp(`port ${port} on 127\\.0\\.0\\.1 is in use by something that is not a sandbox.*npm start -- --sandbox-port ${port + 1}`));

    const badPort = spawnSync(process.execPath, [START_SCRIPT, '--port', 'eighty'], { encoding: 'utf8' });
    assert.equal(badPort.status, 2);
    assert.match(badPort.stderr, /--port must be a port number \(1-65535\), not "eighty" \(npm start -- --help lists the options\)/);

    const help = spawnSync(process.execPath, [START_SCRIPT, '--help'], { encoding: 'utf8' });
    assert.equal(help.status, 0);
    for (const option of ['--port N', '--sandbox-port N', '--code-server', '--no-build', '--dir DIR', '--reset', 'COUPON_START_PORT', 'apt-get', 'root or sudo', 'Ctrl+C']) {
      assert.ok(help.stdout.includes(option), `help mentions ${option}`);
    }
  } finally {
    busy.close();
    rmSync(temp, { recursive: true, force: true });
  }
});
