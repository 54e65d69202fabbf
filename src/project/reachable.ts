/** Everything reached from `start` by following `next`, `start` included; each item is followed once. */
export function reachableFrom<T>(start: Iterable<T>, next: (item: T) => Iterable<T>): Set<T> {
  const reached = new Set<T>();
  const pending = [...start];
  while (pending.length > 0) {
    const item = pending.pop()!;
    if (reached.has(item)) continue;
    reached.add(item);
    pending.push(...next(item));
  }
  return reached;
}
