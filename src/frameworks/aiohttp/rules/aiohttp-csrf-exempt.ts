import { describeExpr } from '../../../python/describe.js';
import { packagesOf } from '../../../project/known-names.js';
import { defineRule } from '../../../rules/rule.js';

const CSRF_EXEMPT = 'aiohttp_csrf.csrf_exempt';

export default defineRule({
  id: 'aiohttp-csrf-exempt',
  code: 'CSRF308',
  title: 'aiohttp handler exempted from aiohttp-csrf',
  severity: 'medium',
  framework: 'aiohttp',
  fix: 'Remove @csrf_exempt and send the CSRF token; for a webhook, verify its signature instead.',
  keywords: ['csrf_exempt'],
  packages: packagesOf([CSRF_EXEMPT]),
  doc: {
    whatItFinds: `Handlers decorated with \`@aiohttp_csrf.csrf_exempt\` (whatever the import spelling), which
\`aiohttp_csrf.csrf_middleware\` then lets through unchecked.`,
    whyItMatters: `An exempted handler accepts state-changing requests that another web site makes the user's browser
send, with the user's session cookie.`,
    example: `import aiohttp_csrf
from aiohttp import web


@aiohttp_csrf.csrf_exempt
async def transfer(request):
    return web.Response(text="sent")
`,
    useInstead: `from aiohttp import web


async def transfer(request):
    return web.Response(text="sent")
`,
    whenItIsFine: `A handler that authenticates by a header token, or a webhook that verifies a signature. Record why at
the decorator.`,
    references: [{ title: 'aiohttp-csrf', url: 'https://github.com/wikibusiness/aiohttp-csrf' }],
  },
  check({ project, report }) {
    for (const module of project.modules) {
      for (const definition of module.facts.definitions) {
        for (const { expression, range } of definition.decorators) {
          if (expression.kind !== 'name' && expression.kind !== 'attribute') continue;
          if (project.resolve(module, expression, definition.scope) !== CSRF_EXEMPT) continue;
          report({ file: module, range, message: `\`@${describeExpr(expression)}\` turns off aiohttp-csrf's check for handler \`${definition.name}\`` });
        }
      }
    }
  },
});
