import { escapeHtml } from './escape.js';

/**
 * The Markdown the rule docs are written in (paragraphs, `-` lists with indented continuation
 * lines, fenced code, `code` spans and links) as HTML. Everything is escaped first; a link is
 * kept only when it points to http(s).
 */
export function markdownToHtml(markdown: string): string {
  const blocks: string[] = [];
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  for (let index = 0; index < lines.length; ) {
    const line = lines[index]!;
    if (line.trim() === '') {
      index++;
    } else if (line.startsWith('```')) {
      const end = closingFence(lines, index + 1);
      blocks.push(`<pre><code>${escapeHtml(lines.slice(index + 1, end).join('\n'))}</code></pre>`);
      index = end + 1;
    } else if (/^#{1,6} /.test(line)) {
      const level = Math.min(6, line.indexOf(' ') + 2);
      blocks.push(`<h${level}>${inlineHtml(line.replace(/^#+ /, ''))}</h${level}>`);
      index++;
    } else if (line.startsWith('- ')) {
      const { html, next } = listAt(lines, index);
      blocks.push(html);
      index = next;
    } else {
      const end = paragraphEnd(lines, index);
      blocks.push(`<p>${inlineHtml(lines.slice(index, end).join(' '))}</p>`);
      index = end;
    }
  }
  return blocks.join('\n');
}

function closingFence(lines: readonly string[], from: number): number {
  for (let index = from; index < lines.length; index++) if (lines[index]!.startsWith('```')) return index;
  return lines.length;
}

function listAt(lines: readonly string[], start: number): { html: string; next: number } {
  const items: string[] = [];
  let index = start;
  while (index < lines.length && lines[index]!.startsWith('- ')) {
    const parts = [lines[index]!.slice(2)];
    index++;
    while (index < lines.length && /^\s+\S/.test(lines[index]!)) parts.push(lines[index++]!.trim());
    items.push(`<li>${inlineHtml(parts.join(' '))}</li>`);
  }
  return { html: `<ul>${items.join('')}</ul>`, next: index };
}

function paragraphEnd(lines: readonly string[], start: number): number {
  let index = start + 1;
  while (index < lines.length && lines[index]!.trim() !== '' && !lines[index]!.startsWith('```') && !lines[index]!.startsWith('- ')) index++;
  return index;
}

/**
 * `code` spans and [links](https://...) inside escaped text; code spans are left as they are
 * written. Text quoting scanned code (a finding's message) gets no links: a backtick in the code
 * would end its span and let the code write a link of its choosing.
 */
export function inlineHtml(text: string, { links = true }: { links?: boolean } = {}): string {
  return text
    .split(/(`[^`]*`)/)
    .map((part) => (part.length > 1 && part.startsWith('`') && part.endsWith('`') ? `<code>${escapeHtml(part.slice(1, -1))}</code>` : links ? linkedText(part) : escapeHtml(part)))
    .join('');
}

function linkedText(text: string): string {
  return text
    .split(/(\[[^\]]+\]\([^)\s]+\))/)
    .map((part) => {
      const link = /^\[([^\]]+)\]\((https?:\/\/[^)\s]+)\)$/.exec(part);
      return link ? `<a href="${escapeHtml(link[2]!)}" rel="noreferrer noopener">${escapeHtml(link[1]!)}</a>` : escapeHtml(part);
    })
    .join('');
}
