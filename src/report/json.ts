import type { Reporter } from './reporter.js';

/** The result contract of DESIGN.md, as is. */
export const reportJson: Reporter = (result) => `${JSON.stringify(result, null, 2)}\n`;
