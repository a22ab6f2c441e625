/** "Did you mean": the known name closest to a misspelt one (property names, enum values, SMS tags). */

/** Optimal string alignment distance (Damerau-Levenshtein with adjacent transpositions). */
function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[rows - 1][cols - 1];
}

/**
 * The known name closest to `input`, if it is close enough to be a typo:
 * a case-insensitive match, or within a third of the name's length in edits.
 */
export function closestMatch(input: string, candidates: readonly string[]): string | undefined {
  // Names and enum values are short: a long input is no typo of one, and the distance is quadratic.
  if (input.length > 64) return undefined;
  const lower = input.toLowerCase();
  const exactIgnoringCase = candidates.find((candidate) => candidate.toLowerCase() === lower);
  if (exactIgnoringCase) return exactIgnoringCase;
  // "PERCENT" for "PERC", "SKU_ID" for "SKU": a known value spelled out further.
  const prefixOfInput = candidates.find((candidate) => candidate.length >= 3 && lower.startsWith(candidate.toLowerCase()));
  if (prefixOfInput) return prefixOfInput;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    if (Math.abs(candidate.length - lower.length) > Math.max(1, Math.floor(candidate.length / 3))) continue;
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best !== undefined && bestDistance <= Math.max(1, Math.floor(best.length / 3)) ? best : undefined;
}
