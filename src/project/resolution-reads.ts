import type { SourceModule } from './source-module.js';

/**
 * The modules (by absolute path) whose facts a resolution looked at, the attributes whose
 * assignments anywhere it looked for (`attributeRead`), and `EVERY_MODULE` when it read an
 * index of the whole project: it holds while none of them changes.
 */
export type Reads = ReadonlySet<string>;

/** Read by something built from every module (an index of the whole project): any replaced module may change it. */
const EVERY_MODULE = '*';

/** The read of the assignments to an attribute (`obj.name = ...`) in every module. */
function attributeRead(name: string): string {
  return `attribute:${name}`;
}

interface Frame {
  reads: Set<string>;
  /** It met a name still being followed, whose stand-in answer depends on the order of questions: never reused. */
  cyclic: boolean;
}

/**
 * Notes which modules each resolution of a project reads, so that a language server's next project
 * (the same modules, some of them edited) can reuse the resolutions that read none of the edited
 * ones. Resolutions nest (a name is followed through another module's alias, itself resolved and
 * remembered): what an inner one read, the outer one read too.
 */
export class ResolutionReads {
  private readonly frames: Frame[] = [];

  /** A module's facts were looked at by the resolutions under way. */
  noteRead(module: SourceModule): void {
    this.frames.at(-1)?.reads.add(module.absolutePath);
  }

  /** The assignments to an attribute in every module were looked at: a module that adds or drops one changes the answer. */
  noteAttributeRead(name: string): void {
    this.frames.at(-1)?.reads.add(attributeRead(name));
  }

  /** An index built from every module was looked at. */
  noteEveryModuleRead(): void {
    this.frames.at(-1)?.reads.add(EVERY_MODULE);
  }

  /** A remembered resolution was used by those under way: they read what it read (`undefined`: it cannot be reused, nor can they). */
  noteReused(reads: Reads | undefined): void {
    const frame = this.frames.at(-1);
    if (!frame) return;
    if (reads === undefined) frame.cyclic = true;
    else for (const read of reads) frame.reads.add(read);
  }

  /** A name still being followed was asked for again: every resolution under way got its stand-in answer. */
  noteCycle(): void {
    for (const frame of this.frames) frame.cyclic = true;
  }

  /** Runs a resolution, and tells what it read (`undefined`: its answer must not be reused by another project). */
  track<T>(resolve: () => T): { value: T; reads: Reads | undefined } {
    const frame: Frame = { reads: new Set(), cyclic: false };
    this.frames.push(frame);
    let value: T;
    try {
      value = resolve();
    } finally {
      this.frames.pop();
    }
    const outer = this.frames.at(-1);
    if (outer) {
      for (const read of frame.reads) outer.reads.add(read);
      outer.cyclic ||= frame.cyclic;
    }
    return { value, reads: frame.cyclic ? undefined : frame.reads };
  }
}

/**
 * The modules edited between two projects of a language server, when the second is the first with
 * some modules' facts replaced: the same files, names and import roots, in the same order. Undefined
 * otherwise (a module came or went), since which module a name leads to may then differ.
 */
export function modulesReplaced(before: readonly SourceModule[], after: readonly SourceModule[]): ReadonlySet<string> | undefined {
  if (before.length !== after.length) return undefined;
  const replaced = new Set<string>();
  for (let index = 0; index < after.length; index++) {
    const old = before[index]!;
    const current = after[index]!;
    if (old === current) continue;
    if (!sameIdentity(old, current)) return undefined;
    replaced.add(current.absolutePath);
    for (const name of [...attributesAssigned(old), ...attributesAssigned(current)]) replaced.add(attributeRead(name));
  }
  if (replaced.size > 0) replaced.add(EVERY_MODULE);
  return replaced;
}

function attributesAssigned(module: SourceModule): string[] {
  return module.facts.assignments.flatMap(({ target }) => (target.kind === 'attribute' ? [target.attribute] : []));
}

function sameIdentity(a: SourceModule, b: SourceModule): boolean {
  return a.absolutePath === b.absolutePath && a.key === b.key && a.name === b.name && a.root === b.root && a.isPackage === b.isPackage && a.aliases.join('\0') === b.aliases.join('\0');
}

/** Whether a remembered resolution read none of the modules replaced since. */
export function stillHolds(reads: Reads | undefined, replaced: ReadonlySet<string>): reads is Reads {
  if (reads === undefined) return false;
  for (const read of reads) if (replaced.has(read)) return false;
  return true;
}
