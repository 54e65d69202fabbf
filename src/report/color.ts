/** ANSI styling that disappears when color is off, so reporters never branch on it. */
export interface Palette {
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
  blue(text: string): string;
}

function style(open: number, close: number): (text: string) => string {
  return (text) => `\u001b[${open}m${text}\u001b[${close}m`;
}

export const COLORS: Palette = {
  bold: style(1, 22),
  dim: style(2, 22),
  red: style(31, 39),
  yellow: style(33, 39),
  cyan: style(36, 39),
  blue: style(34, 39),
};

const identity = (text: string) => text;

export const NO_COLORS: Palette = { bold: identity, dim: identity, red: identity, yellow: identity, cyan: identity, blue: identity };

export type ColorChoice = 'auto' | 'always' | 'never';

/** `auto` follows the terminal and the NO_COLOR convention (https://no-color.org); `always` wins over both. */
export function useColor(choice: ColorChoice, stream: { isTTY?: boolean }, environment: NodeJS.ProcessEnv): boolean {
  if (choice !== 'auto') return choice === 'always';
  if (environment.NO_COLOR !== undefined && environment.NO_COLOR !== '') return false;
  if (environment.FORCE_COLOR !== undefined && environment.FORCE_COLOR !== '0') return true;
  return Boolean(stream.isTTY) && environment.TERM !== 'dumb';
}
