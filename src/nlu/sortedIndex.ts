/**
 * The model's feature tables are stored sorted: the file stays compact and deterministic, and a
 * table can be searched (binary search) without building anything. At run time the scorers
 * build a hash index once per language, as that language is first used.
 */
/** The permutation that sorts `items` (default string order, the one binary search uses). */
export function sortOrder(items: readonly string[]): number[] {
  return items.map((_, i) => i).sort((a, b) => ((items[a] as string) < (items[b] as string) ? -1 : 1));
}

/** Position of each string (the run-time index over a feature table). */
export function indexOf(items: readonly string[]): Map<string, number> {
  const index = new Map<string, number>();
  for (let i = 0; i < items.length; i++) index.set(items[i] as string, i);
  return index;
}
