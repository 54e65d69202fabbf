/** One project root holds the other (or they are the same): a scan may hold several projects, nested or side by side. */
export function related(a: string, b: string): boolean {
  return a === b || a.startsWith(`${b}/`) || b.startsWith(`${a}/`);
}
