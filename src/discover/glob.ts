/**
 * Glob matching in time proportional to the glob's length times the path's, whatever either holds.
 *
 * Why not picomatch, minimatch or `ignore`: they turn a glob into a JavaScript regular expression,
 * and V8 matches those by backtracking. A repository's own config (`extend-exclude`,
 * `per-file-ignores`) or `.gitignore` is written by whoever sends the pull request, and a glob such
 * as `*a*a*a*a*a*a*a*a*b` or `a/**\/a/**\/a/**\/b` against a long path then takes minutes to hours.
 * Here the glob becomes a small automaton whose states are walked all at once (Thompson's
 * construction), one character of the path at a time: no choice is ever retried.
 *
 * Syntax: `?` and `*` (never across `/`), `**` as a whole path segment (any number of folders:
 * `**\/x` also matches `x`, `a/**` also matches `a`), `[abc]`, `[a-z]`, `[!x]` / `[^x]`, `\` to
 * escape, and, unless turned off (`.gitignore` has none), `{a,b}` alternatives, nested or not. What
 * picomatch adds beyond this (extglobs, a leading `!` to negate) is matched as plain text.
 */

type CharTest =
  | { kind: 'literal'; char: string }
  | { kind: 'not-slash' }
  | { kind: 'any' }
  | { kind: 'class'; negated: boolean; ranges: Array<[string, string]> };

/**
 * One state of the automaton. `consume`: a character passing the test moves to the next state.
 * `loop`: a character passing the test stays here. `skipTo`: states reached without reading a
 * character; always later ones, so one pass in order closes a set of states.
 */
interface State {
  consume?: CharTest;
  loop?: CharTest;
  skipTo: number[];
}

export interface GlobOptions {
  /** Whether `{a,b}` means either (default true; `.gitignore` has no such syntax). */
  braces?: boolean;
}

export type GlobMatcher = (path: string) => boolean;

export function globMatcher(glob: string, options: GlobOptions = {}): GlobMatcher {
  const states = new GlobCompiler(glob.startsWith('./') ? glob.slice(2) : glob, options.braces ?? true).compile();
  return (path) => runAutomaton(states, path.startsWith('./') ? path.slice(2) : path);
}

function runAutomaton(states: readonly State[], path: string): boolean {
  const accept = states.length;
  let active = closure(states, [0]);
  for (const char of path) {
    const next: number[] = [];
    for (let index = 0; index < accept; index++) {
      if (!active[index]) continue;
      const state = states[index]!;
      if (state.consume && passes(state.consume, char)) next.push(index + 1);
      if (state.loop && passes(state.loop, char)) next.push(index);
    }
    if (next.length === 0) return false;
    active = closure(states, next);
  }
  return active[accept] === 1;
}

/** The states reachable from `start` without reading a character. */
function closure(states: readonly State[], start: readonly number[]): Uint8Array {
  const reached = new Uint8Array(states.length + 1);
  for (const index of start) reached[index] = 1;
  for (let index = 0; index < states.length; index++) {
    if (reached[index]) for (const target of states[index]!.skipTo) reached[target] = 1;
  }
  return reached;
}

function passes(test: CharTest, char: string): boolean {
  switch (test.kind) {
    case 'literal':
      return char === test.char;
    case 'not-slash':
      return char !== '/';
    case 'any':
      return true;
    case 'class':
      return char !== '/' && test.ranges.some(([low, high]) => low <= char && char <= high) !== test.negated;
  }
}

/** Builds the automaton in one left-to-right pass over the glob. */
class GlobCompiler {
  private readonly states: State[] = [];
  private readonly chars: string[];
  private position = 0;
  /** For each `{` that has a matching `}`, where that `}` is. */
  private readonly braceEnds = new Map<number, number>();

  constructor(
    glob: string,
    private readonly braces: boolean,
  ) {
    this.chars = [...glob];
    if (braces) this.matchBraces();
  }

  compile(): State[] {
    this.sequence(undefined);
    return this.states;
  }

  /** Parses up to the end of the glob, or to the `,` or `}` that ends an alternative of the brace closing at `braceEnd`. */
  private sequence(braceEnd: number | undefined): void {
    while (this.position < this.chars.length) {
      const char = this.chars[this.position]!;
      if (braceEnd !== undefined && (char === ',' || this.position === braceEnd)) return;
      if (char === '\\' && this.position + 1 < this.chars.length) {
        this.literal(this.chars[this.position + 1]!, 2);
      } else if (char === '*') {
        this.star();
      } else if (char === '?') {
        this.push({ consume: { kind: 'not-slash' }, skipTo: [] });
        this.position++;
      } else if (char === '[') {
        this.characterClass();
      } else if (char === '{' && this.braceEnds.has(this.position)) {
        this.alternatives(this.braceEnds.get(this.position)!);
      } else if (char === '/' && this.isWholeSegmentStars(this.position + 1) && this.endsGlobOrAlternativeAt(this.position + 3)) {
        // `a/**` matches `a` itself, and anything below it.
        const skip = this.push({ skipTo: [this.states.length + 1] });
        this.push({ consume: { kind: 'literal', char: '/' }, skipTo: [] });
        this.push({ loop: { kind: 'any' }, skipTo: [this.states.length + 1] });
        skip.skipTo.push(this.states.length);
        this.position += 3;
      } else {
        this.literal(char, 1);
      }
    }
  }

  private star(): void {
    const start = this.position;
    while (this.chars[this.position] === '*') this.position++;
    const wholeSegment = this.position - start === 2 && this.startsSegmentAt(start) && this.endsSegmentAt(this.position);
    if (!wholeSegment) {
      this.push({ loop: { kind: 'not-slash' }, skipTo: [this.states.length + 1] });
    } else if (this.chars[this.position] === '/') {
      // `**/` matches nothing, or any folders: `**/x` matches `x` and `a/b/x`.
      const skip = this.push({ skipTo: [this.states.length + 1] });
      this.push({ loop: { kind: 'any' }, skipTo: [this.states.length + 1] });
      this.push({ consume: { kind: 'literal', char: '/' }, skipTo: [] });
      skip.skipTo.push(this.states.length);
      this.position++;
    } else {
      this.push({ loop: { kind: 'any' }, skipTo: [this.states.length + 1] });
    }
  }

  /** `{a,b,c}`: a state that skips to the start of each alternative; each ends by skipping past the brace. */
  private alternatives(braceEnd: number): void {
    const fork = this.push({ skipTo: [] });
    const exits: State[] = [];
    this.position++;
    for (;;) {
      fork.skipTo.push(this.states.length);
      this.sequence(braceEnd);
      exits.push(this.push({ skipTo: [] }));
      if (this.position >= braceEnd) break;
      this.position++;
    }
    this.position = braceEnd + 1;
    for (const exit of exits) exit.skipTo.push(this.states.length);
  }

  /** `[...]`; one without its `]` is a plain `[`. */
  private characterClass(): void {
    let cursor = this.position + 1;
    const negated = this.chars[cursor] === '!' || this.chars[cursor] === '^';
    if (negated) cursor++;
    const ranges: Array<[string, string]> = [];
    for (let first = true; cursor < this.chars.length && (first || this.chars[cursor] !== ']'); first = false) {
      let low = this.chars[cursor]!;
      if (low === '\\' && cursor + 1 < this.chars.length) low = this.chars[++cursor]!;
      cursor++;
      if (this.chars[cursor] === '-' && cursor + 1 < this.chars.length && this.chars[cursor + 1] !== ']') {
        ranges.push([low, this.chars[cursor + 1]!]);
        cursor += 2;
      } else {
        ranges.push([low, low]);
      }
    }
    if (cursor >= this.chars.length) {
      this.literal('[', 1);
      return;
    }
    this.push({ consume: { kind: 'class', negated, ranges }, skipTo: [] });
    this.position = cursor + 1;
  }

  private literal(char: string, width: number): void {
    this.push({ consume: { kind: 'literal', char }, skipTo: [] });
    this.position += width;
  }

  private push(state: State): State {
    this.states.push(state);
    return state;
  }

  private isWholeSegmentStars(at: number): boolean {
    return this.chars[at] === '*' && this.chars[at + 1] === '*' && this.chars[at + 2] !== '*';
  }

  private startsSegmentAt(at: number): boolean {
    const before = this.chars[at - 1];
    return at === 0 || before === '/' || (this.braces && (before === '{' || before === ','));
  }

  private endsSegmentAt(at: number): boolean {
    const after = this.chars[at];
    return at >= this.chars.length || after === '/' || (this.braces && (after === '}' || after === ','));
  }

  private endsGlobOrAlternativeAt(at: number): boolean {
    return at >= this.chars.length || (this.braces && (this.chars[at] === '}' || this.chars[at] === ','));
  }

  /** Pairs each `{` with its `}` in one pass; an unpaired one is plain text. */
  private matchBraces(): void {
    const open: number[] = [];
    for (let index = 0; index < this.chars.length; index++) {
      const char = this.chars[index];
      if (char === '\\') index++;
      else if (char === '{') open.push(index);
      else if (char === '}' && open.length > 0) this.braceEnds.set(open.pop()!, index);
    }
  }
}
