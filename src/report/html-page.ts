import { createHash } from 'node:crypto';
import { escapeHtml } from './escape.js';

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('base64');
}

/**
 * The opening of a self-contained page: a Content-Security-Policy that lets in only the page's own
 * style sheet and, when it has one, its own script (both by hash), no referrer, and the title.
 */
export function pageHead(title: string, style: string, script?: string): string[] {
  const scripts = script === undefined ? '' : ` script-src 'sha256-${sha256(script)}';`;
  const policy = `default-src 'none'; style-src 'sha256-${sha256(style)}';${scripts} img-src 'none'; base-uri 'none'; form-action 'none'`;
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${escapeHtml(policy)}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="referrer" content="no-referrer">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${style}</style>`,
    '</head>',
  ];
}
