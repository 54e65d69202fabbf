import type { Argument, Decorator, Definition } from '../../python/facts.js';
import type { Project } from '../../project/project.js';
import type { SourceModule } from '../../project/source-module.js';
import { stringValue } from '../../project/values.js';

/** A template tag the project defines: `{% name %}` renders `template` when the scan can tell which. */
export interface ProjectTemplateTag {
  name: string;
  template: string | undefined;
  projectRoot: string;
}

/** `Library` methods that register a tag: `@register.inclusion_tag("x.html")`, `@register.simple_tag`, `@register.tag`. */
const TAG_DECORATORS = new Set(['inclusion_tag', 'simple_tag', 'tag']);

/** A parameter default naming a template: `def fields_for(context, form, template="includes/form_fields.html")`. */
const TEMPLATE_FILE = /\.(?:html?|jinja2?|j2|djhtml|txt)$/;

/**
 * The tags the project's Django template libraries define, under the function's name or the
 * decorator's `name=`. An inclusion tag renders its first argument (or `filename=`); a simple tag
 * that renders a template it names in a parameter default renders that one; for any other, what it
 * renders is not known.
 */
export function projectTemplateTags(project: Project): ProjectTemplateTag[] {
  const tags: ProjectTemplateTag[] = [];
  for (const module of project.modules) {
    for (const definition of module.facts.definitions) {
      if (definition.kind !== 'function') continue;
      for (const decorator of definition.decorators) {
        const tag = templateTag(project, module, definition, decorator);
        if (tag) tags.push(tag);
      }
    }
  }
  return tags;
}

function templateTag(project: Project, module: SourceModule, definition: Definition, { expression }: Decorator): ProjectTemplateTag | undefined {
  const callee = expression.kind === 'call' ? expression.callee : expression;
  if (callee.kind !== 'attribute' || !TAG_DECORATORS.has(callee.attribute)) return undefined;
  const args = expression.kind === 'call' ? expression.args : [];
  const valueOf = (argument: Argument | undefined) => argument && stringValue(project, { module, scope: definition.scope, expr: argument.value });
  const positional = args.find((argument) => !argument.name && !argument.unpack);
  const name = valueOf(args.find((argument) => argument.name === 'name')) ?? (callee.attribute === 'tag' ? valueOf(positional) : undefined) ?? definition.name;
  const template = callee.attribute === 'inclusion_tag' ? valueOf(args.find((argument) => argument.name === 'filename') ?? positional) : defaultTemplate(project, module, definition);
  return { name, template, projectRoot: module.projectRoot };
}

function defaultTemplate(project: Project, module: SourceModule, definition: Definition): string | undefined {
  for (const parameter of definition.parameters) {
    const value = parameter.defaultValue && stringValue(project, { module, scope: definition.scope, expr: parameter.defaultValue });
    if (value !== undefined && TEMPLATE_FILE.test(value)) return value;
  }
  return undefined;
}
