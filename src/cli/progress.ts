/** Shown only for scans that last longer than this: a quick scan prints nothing but its report. */
const DELAY_MS = 400;
const REDRAW_EVERY_MS = 100;

interface TerminalStream {
  isTTY?: boolean;
  write(text: string): unknown;
}

/** Where Ctrl-C is heard: the process, in the CLI. */
interface InterruptSource {
  once(event: 'SIGINT', listener: () => void): unknown;
  off(event: 'SIGINT', listener: () => void): unknown;
}

/**
 * One line on stderr, redrawn in place: files done out of files found. Only on a terminal and
 * never in CI, so that logs and pipes get the report alone.
 */
export class ProgressLine {
  private readonly startedAt = Date.now();
  private lastDrawnAt = 0;
  private drawn = false;

  private constructor(private readonly stream: TerminalStream) {}

  static forStream(stream: TerminalStream, environment: NodeJS.ProcessEnv): ProgressLine | undefined {
    const inCi = environment.CI !== undefined && environment.CI !== '' && environment.CI !== 'false';
    return stream.isTTY && !inCi && environment.TERM !== 'dumb' ? new ProgressLine(stream) : undefined;
  }

  update(done: number, total: number): void {
    const now = Date.now();
    if (now - this.startedAt < DELAY_MS || (now - this.lastDrawnAt < REDRAW_EVERY_MS && done < total)) return;
    this.lastDrawnAt = now;
    this.drawn = true;
    this.stream.write(`\r\u001b[2Kcsrflint: checking files ${done}/${total}`);
  }

  /** Wipes the line before the report is written. */
  clear(): void {
    if (this.drawn) this.stream.write('\r\u001b[2K');
    this.drawn = false;
  }
}

/**
 * Runs `scan` with a progress line on a terminal; the line is wiped when the scan ends and when
 * Ctrl-C stops it (then `stop` ends the process), so that no half line is left behind.
 */
export async function withProgressLine<T>(
  stream: TerminalStream,
  environment: NodeJS.ProcessEnv,
  interrupts: InterruptSource,
  stop: () => void,
  scan: (onProgress: ((done: number, total: number) => void) | undefined) => Promise<T>,
): Promise<T> {
  const progress = ProgressLine.forStream(stream, environment);
  if (!progress) return scan(undefined);
  const interrupted = () => {
    progress.clear();
    stop();
  };
  interrupts.once('SIGINT', interrupted);
  try {
    return await scan((done, total) => progress.update(done, total));
  } finally {
    interrupts.off('SIGINT', interrupted);
    progress.clear();
  }
}
