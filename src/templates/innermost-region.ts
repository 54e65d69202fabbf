/** A region of a template's text, from `start` up to `end` (not included). */
interface Region<T> {
  item: T;
  start: number;
  end: number;
}

/**
 * Which of some regions is the innermost at an offset: the one starting last among those around
 * it (the first given wins a tie). Built once in O(n log n), each question is a binary search, so a
 * template with thousands of blocks, each holding a form, is not scanned again for every form.
 */
export class InnermostRegions<T> {
  /** Offsets where the innermost region changes, in order, and the region from each on. */
  private readonly boundaries: number[] = [];
  private readonly innermost: Array<T | undefined> = [];
  private readonly enclosing = new Map<T, T | undefined>();

  constructor(items: readonly T[], startOf: (item: T) => number, endOf: (item: T) => number) {
    const regions = items.map((item, index) => ({ item, start: startOf(item), end: endOf(item), index }));
    // The first given of regions starting together is pushed last, so it is the innermost.
    const byStart = regions.sort((a, b) => a.start - b.start || b.index - a.index);
    const offsets = [...new Set(byStart.flatMap((region) => [region.start, region.end]))].sort((a, b) => a - b);
    const open: Array<Region<T>> = [];
    let next = 0;
    for (const offset of offsets) {
      closeEndedBy(open, offset);
      for (; next < byStart.length && byStart[next]!.start === offset; next++) {
        this.enclosing.set(byStart[next]!.item, open.at(-1)?.item);
        open.push(byStart[next]!);
        closeEndedBy(open, offset);
      }
      this.boundaries.push(offset);
      this.innermost.push(open.at(-1)?.item);
    }
  }

  /** The innermost region around `offset`. */
  at(offset: number): T | undefined {
    let low = 0;
    let high = this.boundaries.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (this.boundaries[middle]! <= offset) low = middle + 1;
      else high = middle;
    }
    return low === 0 ? undefined : this.innermost[low - 1];
  }

  /** The innermost other region around the start of `item`, one of the regions given. */
  around(item: T): T | undefined {
    return this.enclosing.get(item);
  }
}

/**
 * Drops the regions that end at or before `offset` from the top of the stack. One that ended
 * under a region still open (markup closed out of order) is dropped when it comes to the top.
 */
function closeEndedBy<T>(open: Array<Region<T>>, offset: number): void {
  while (open.length > 0 && open.at(-1)!.end <= offset) open.pop();
}
