/**
 * Python files of project templates (cookiecutter, copier) hold Jinja tags, which are not Python.
 * Blanking them keeps every line and column in place and lets the Python around them be analysed:
 * `{{ name }}` becomes an identifier of the same width, `{% ... %}` and `{# ... #}` become spaces.
 * This works on the template syntax only; the Python is still parsed by tree-sitter.
 */
const TAG_ENDS: Record<string, string> = { '{{': '}}', '{%': '%}', '{#': '#}' };

export function hasJinjaTags(text: string): boolean {
  return text.includes('{{') || text.includes('{%') || text.includes('{#');
}

export function blankJinjaTags(text: string): string {
  let blanked = '';
  let copiedUpTo = 0;
  for (const tag of jinjaTags(text)) {
    const filler = text.startsWith('{{', tag.start) ? '_' : ' ';
    blanked += text.slice(copiedUpTo, tag.start) + text.slice(tag.start, tag.end).replace(/[^\r\n]/g, filler);
    copiedUpTo = tag.end;
  }
  return blanked + text.slice(copiedUpTo);
}

/**
 * Each tag from its opening to the nearest closing of its kind, left to right, as a lazy regex
 * would find them, in one pass: an opening whose kind has no closing further on is text, and so
 * is every later opening of that kind (a lazy regex would rescan to the end for each: quadratic).
 */
function* jinjaTags(text: string): Generator<{ start: number; end: number }> {
  const nextOpening = new Map<string, number>(Object.keys(TAG_ENDS).map((opening) => [opening, text.indexOf(opening)]));
  let position = 0;
  for (;;) {
    let start = -1;
    let opening = '';
    for (const [candidate, index] of nextOpening) {
      const found = index >= position || index < 0 ? index : text.indexOf(candidate, position);
      nextOpening.set(candidate, found);
      if (found >= 0 && (start < 0 || found < start)) [start, opening] = [found, candidate];
    }
    if (start < 0) return;
    const close = text.indexOf(TAG_ENDS[opening]!, start + 2);
    if (close < 0) {
      nextOpening.set(opening, -1);
      continue;
    }
    yield { start, end: close + 2 };
    position = close + 2;
  }
}
