/**
 * Looks strings up in a sorted array by binary search. The model's feature tables are stored
 * sorted, so loading them builds no hash map: start-up stays fast and memory small.
 */
export function indexOfSorted(sorted: readonly string[], key: string): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const value = sorted[mid] as string;
    if (value === key) return mid;
    if (value < key) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** The permutation that sorts `items` (default string order, the one binary search uses). */
export function sortOrder(items: readonly string[]): number[] {
  return items.map((_, i) => i).sort((a, b) => ((items[a] as string) < (items[b] as string) ? -1 : 1));
}
