import type { Node, Tree } from 'web-tree-sitter';
import type { Fix, FixableFinding } from './fix.js';
import { assignmentParts, assignmentsOnLine, deleteStatement, stringValue } from './python-statements.js';

/**
 * Flask-WTF settings whose default (`True`) is the protection: deleting a `False` restores it.
 * `WTF_CSRF_CHECK_DEFAULT = False` usually goes with views that call `csrf.protect()` when they
 * need it (Redash does so for cookie sessions only): deleting it checks every view, API clients'
 * too, so that fix changes behaviour.
 */
const DEFAULT_ON_SETTINGS: ReadonlyMap<string, Fix['applicability']> = new Map([
  ['WTF_CSRF_ENABLED', 'safe'],
  ['WTF_CSRF_CHECK_DEFAULT', 'unsafe'],
]);

/**
 * Deletes `WTF_CSRF_ENABLED = False` (a config module's or class's setting, or
 * `app.config["WTF_CSRF_ENABLED"] = False`). Not offered when the file reads the name elsewhere:
 * deleting its only binding would break that read.
 */
export function removeDisablingSetting(finding: FixableFinding, text: string, tree: Tree): Fix | undefined {
  for (const statement of assignmentsOnLine(tree, finding.line)) {
    const parts = assignmentParts(statement);
    if (!parts || parts.value.type !== 'false') continue;
    const setting = settingName(parts.target);
    const applicability = setting === undefined ? undefined : DEFAULT_ON_SETTINGS.get(setting);
    if (setting === undefined || applicability === undefined) continue;
    if (parts.target.type === 'identifier' && countIdentifiers(tree.rootNode, setting) > 1) continue;
    const edit = deleteStatement(statement, text);
    const consequence = applicability === 'unsafe' ? ' (changes behaviour: every view is checked, API clients\' requests too)' : '';
    if (edit) return { title: `Remove \`${setting} = False\`${consequence}`, applicability, edits: [edit] };
  }
  return undefined;
}

/** Deletes `csrf = False` from a form's `class Meta`, leaving `pass` when nothing else is in it. */
export function removeMetaCsrfFalse(finding: FixableFinding, text: string, tree: Tree): Fix | undefined {
  for (const statement of assignmentsOnLine(tree, finding.line)) {
    const parts = assignmentParts(statement);
    if (!parts || parts.value.type !== 'false' || parts.target.type !== 'identifier' || parts.target.text !== 'csrf') continue;
    const metaClass = statement.parent?.parent;
    if (metaClass?.type !== 'class_definition' || metaClass.childForFieldName('name')?.text !== 'Meta') continue;
    const edit = deleteStatement(statement, text);
    if (edit) return { title: 'Remove `csrf = False` from the form\'s Meta', applicability: 'safe', edits: [edit] };
  }
  return undefined;
}

/** `NAME`, `obj.NAME` or `obj["NAME"]`. */
function settingName(target: Node): string | undefined {
  if (target.type === 'identifier') return target.text;
  if (target.type === 'attribute') return target.childForFieldName('attribute')?.text;
  if (target.type === 'subscript') {
    const key = target.childForFieldName('subscript');
    return key ? stringValue(key) : undefined;
  }
  return undefined;
}

function countIdentifiers(root: Node, name: string): number {
  return root.descendantsOfType('identifier').filter((node) => node?.text === name).length;
}
