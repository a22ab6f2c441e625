/** A unified diff of two texts (`diff -u` style hunks with 3 lines of context). */

type Op = { kind: ' ' | '-' | '+'; line: string };

/** Above this many cells the middle is shown as one replacement instead of a minimal diff. */
const MAX_CELLS = 4_000_000;

function lineOps(a: readonly string[], b: readonly string[]): Op[] {
  let prefix = 0;
  while (prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  let suffix = 0;
  while (suffix < a.length - prefix && suffix < b.length - prefix && a[a.length - 1 - suffix] === b[b.length - 1 - suffix]) suffix++;
  const middleA = a.slice(prefix, a.length - suffix);
  const middleB = b.slice(prefix, b.length - suffix);
  const ops: Op[] = a.slice(0, prefix).map((line) => ({ kind: ' ', line }));
  if ((middleA.length + 1) * (middleB.length + 1) > MAX_CELLS) {
    ops.push(...middleA.map((line): Op => ({ kind: '-', line })), ...middleB.map((line): Op => ({ kind: '+', line })));
  } else {
    // Longest common subsequence from the end, then walk forward.
    const n = middleA.length;
    const m = middleB.length;
    const lcs = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
    for (let i = n - 1; i >= 0; i--) {
      for (let j = m - 1; j >= 0; j--) lcs[i][j] = middleA[i] === middleB[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
    let i = 0;
    let j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && middleA[i] === middleB[j]) {
        ops.push({ kind: ' ', line: middleA[i++] });
        j++;
      } else if (i < n && (j === m || lcs[i + 1][j] >= lcs[i][j + 1])) {
        ops.push({ kind: '-', line: middleA[i++] });
      } else {
        ops.push({ kind: '+', line: middleB[j++] });
      }
    }
  }
  ops.push(...a.slice(a.length - suffix).map((line): Op => ({ kind: ' ', line })));
  return ops;
}

/** Hunks of `-`/`+`/` ` lines with `@@ -l,s +l,s @@` headers; empty when the texts are equal. */
export function unifiedDiff(before: string, after: string, context = 3): string[] {
  const ops = lineOps(before.split('\n'), after.split('\n'));
  const changed = ops.map((op, index) => (op.kind === ' ' ? -1 : index)).filter((index) => index >= 0);
  if (changed.length === 0) return [];
  const lines: string[] = [];
  let start = 0;
  while (start < changed.length) {
    // Group changes whose context windows touch into one hunk.
    let end = start;
    while (end + 1 < changed.length && changed[end + 1] - changed[end] <= 2 * context + 1) end++;
    const from = Math.max(0, changed[start] - context);
    const to = Math.min(ops.length - 1, changed[end] + context);
    let oldLine = 1;
    let newLine = 1;
    for (let index = 0; index < from; index++) {
      if (ops[index].kind !== '+') oldLine++;
      if (ops[index].kind !== '-') newLine++;
    }
    const hunk = ops.slice(from, to + 1);
    const oldCount = hunk.filter((op) => op.kind !== '+').length;
    const newCount = hunk.filter((op) => op.kind !== '-').length;
    lines.push(`@@ -${oldCount === 0 ? oldLine - 1 : oldLine},${oldCount} +${newCount === 0 ? newLine - 1 : newLine},${newCount} @@`);
    lines.push(...hunk.map((op) => `${op.kind}${op.line}`));
    start = end + 1;
  }
  return lines;
}
