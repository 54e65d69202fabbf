/**
 * Python files of project templates (cookiecutter, copier) hold Jinja tags, which are not Python.
 * Blanking them keeps every line and column in place and lets the Python around them be analysed:
 * `{{ name }}` becomes an identifier of the same width, `{% ... %}` and `{# ... #}` become spaces.
 * This works on the template syntax only; the Python is still parsed by tree-sitter.
 */
const JINJA_TAG = /\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}|\{#[\s\S]*?#\}/g;

export function hasJinjaTags(text: string): boolean {
  return text.includes('{{') || text.includes('{%') || text.includes('{#');
}

export function blankJinjaTags(text: string): string {
  return text.replace(JINJA_TAG, (tag) => {
    const filler = tag.startsWith('{{') ? '_' : ' ';
    return tag.replace(/[^\r\n]/g, filler);
  });
}
