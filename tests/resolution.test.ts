import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loadProject } from '../src/load-project.js';
import type { Project } from '../src/project/project.js';
import { writeProject } from './support/projects.js';

async function projectOf(files: Record<string, string>): Promise<Project> {
  const { project } = await loadProject({ paths: ['.'], cwd: writeProject(files), respectGitignore: false, prefilter: false });
  return project;
}

/** The canonical name of the callee of the call on `line` of `file`. */
function calleeAt(project: Project, file: string, line: number): string | undefined {
  const module = project.modules.find((candidate) => candidate.path === file);
  const site = module?.facts.calls.find(({ call }) => call.range.line === line);
  assert.ok(module && site, `no call on ${file}:${line}`);
  return project.resolve(module, site.call.callee, site.scope, line);
}

/** The canonical name of the first decorator on `line` of `file`. */
function decoratorAt(project: Project, file: string, line: number): string | undefined {
  const module = project.modules.find((candidate) => candidate.path === file);
  const definition = module?.facts.definitions.find((candidate) => candidate.decorators.some((decorator) => decorator.range.line === line));
  const decorator = definition?.decorators.find((candidate) => candidate.range.line === line);
  assert.ok(module && definition && decorator, `no decorator on ${file}:${line}`);
  return project.resolve(module, decorator.expression, definition.scope, line);
}

describe('qualified-name resolution', () => {
  test('a package is used when a module imports from it, imports it, or is part of it', async () => {
    const project = await projectOf({
      'api.py': 'from ninja.security import django_auth\nimport flask.json as j\n',
      'local/__init__.py': 'from . import helpers\n',
      'local/helpers.py': 'X = 1\n',
    });
    assert.deepEqual(['ninja', 'flask', 'local', 'api', 'helpers', 'json', 'django_auth', 'litestar'].map((name) => project.usesPackage(name)), [true, true, true, true, false, false, false, false]);
  });

  test('aliased from-import', async () => {
    const project = await projectOf({ 'app.py': 'from flask import Flask as F\nF(__name__)\n' });
    assert.equal(calleeAt(project, 'app.py', 2), 'flask.Flask');
  });

  test('aliased module import and plain dotted import', async () => {
    const project = await projectOf({
      'views.py': 'import django.views.decorators.csrf as c\nimport django.views.decorators.csrf\nc.csrf_exempt(v)\ndjango.views.decorators.csrf.csrf_exempt(v)\n',
    });
    assert.equal(calleeAt(project, 'views.py', 3), 'django.views.decorators.csrf.csrf_exempt');
    assert.equal(calleeAt(project, 'views.py', 4), 'django.views.decorators.csrf.csrf_exempt');
  });

  test('a local definition shadows an import from the line it is defined on', async () => {
    const project = await projectOf({
      'views.py': 'from django.views.decorators.csrf import csrf_exempt\ncsrf_exempt(a)\ndef csrf_exempt(f):\n    return f\ncsrf_exempt(b)\n',
    });
    assert.equal(calleeAt(project, 'views.py', 2), 'django.views.decorators.csrf.csrf_exempt');
    assert.equal(calleeAt(project, 'views.py', 5), 'views.csrf_exempt');
  });

  test('a try-body import wins over its ImportError fallback', async () => {
    const project = await projectOf({
      'app.py': 'try:\n    from flask_wtf.csrf import CSRFProtect\nexcept ImportError:\n    from flask_wtf.csrf import CsrfProtect as CSRFProtect\nCSRFProtect(app)\n',
    });
    assert.equal(calleeAt(project, 'app.py', 5), 'flask_wtf.csrf.CSRFProtect');
  });

  test('relative imports and re-exports through a package __init__', async () => {
    const project = await projectOf({
      'shop/__init__.py': 'from .extensions import csrf as protector\n',
      'shop/extensions.py': 'from flask_wtf import CSRFProtect\ncsrf = CSRFProtect()\n',
      'shop/views/__init__.py': '',
      'shop/views/hooks.py': 'from .. import protector\nfrom ..extensions import csrf\nprotector.exempt(a)\ncsrf.exempt(b)\nCSRFProtect()\n',
    });
    assert.equal(calleeAt(project, 'shop/views/hooks.py', 3), 'shop.extensions.csrf.exempt');
    assert.equal(calleeAt(project, 'shop/views/hooks.py', 4), 'shop.extensions.csrf.exempt');
    assert.equal(calleeAt(project, 'shop/extensions.py', 2), 'flask_wtf.csrf.CSRFProtect');
  });

  test('a name a package binds in its __init__ wins over its submodule of the same name', async () => {
    const project = await projectOf({
      'shop/__init__.py': '',
      'shop/api/__init__.py': 'from .Order import Order\nfrom . import Cart\n',
      'shop/api/Order.py': 'class Order:\n    pass\n',
      'shop/api/Cart.py': 'class Cart:\n    pass\n',
      'shop/app.py': 'from shop.api import Order, Cart\nOrder()\nCart.Cart()\n',
    });
    assert.equal(calleeAt(project, 'shop/app.py', 2), 'shop.api.Order.Order');
    assert.equal(calleeAt(project, 'shop/app.py', 3), 'shop.api.Cart.Cart');
  });

  test('star imports from scanned and outside modules', async () => {
    const project = await projectOf({
      'site/__init__.py': '',
      'site/base.py': 'from django.views.decorators.csrf import csrf_exempt\n',
      'site/views.py': 'from .base import *\ncsrf_exempt(view)\n',
      'other.py': 'from flask import *\nFlask(__name__)\n',
    });
    assert.equal(calleeAt(project, 'site/views.py', 2), 'django.views.decorators.csrf.csrf_exempt');
    assert.equal(calleeAt(project, 'other.py', 2), 'flask.Flask');
  });

  test('module-level aliases are followed', async () => {
    const project = await projectOf({
      'views.py': 'from django.views.decorators.csrf import csrf_exempt\nexempt = csrf_exempt\n@exempt\ndef hook(request):\n    pass\n',
    });
    assert.equal(decoratorAt(project, 'views.py', 3), 'django.views.decorators.csrf.csrf_exempt');
  });

  test('self and cls stand for the class; class names are not visible inside methods', async () => {
    const project = await projectOf({
      'server.py': [
        'class Server:',
        '    helper = print',
        '    def start(self):',
        '        self.app.run()',
        '        helper()',
        '    @staticmethod',
        '    def stop(self):',
        '        self.app.run()',
        '',
      ].join('\n'),
    });
    assert.equal(calleeAt(project, 'server.py', 4), 'server.Server.app.run');
    assert.equal(calleeAt(project, 'server.py', 5), undefined);
    assert.equal(calleeAt(project, 'server.py', 8), 'server.Server.stop.<locals>.self.app.run');
  });

  test('global declarations bind at module level', async () => {
    const project = await projectOf({
      'app.py': 'from flask import Flask\ndef make():\n    global app\n    app = Flask(__name__)\ndef use():\n    app.run()\n',
    });
    assert.equal(calleeAt(project, 'app.py', 6), 'app.app.run');
  });

  test('names unbound anywhere fall back only for unmistakable library names', async () => {
    const project = await projectOf({ 'snippet.py': 'csrf_exempt(view)\nexempt(view)\n' });
    assert.equal(calleeAt(project, 'snippet.py', 1), 'django.views.decorators.csrf.csrf_exempt');
    assert.equal(calleeAt(project, 'snippet.py', 2), undefined);
  });

  test('namespace packages and src/ layouts import by their path from the project root', async () => {
    const project = await projectOf({
      'pyproject.toml': '[project]\nname = "shop"\n',
      'src/shop/__init__.py': '',
      'src/shop/extensions.py': 'from flask_wtf.csrf import CSRFProtect\ncsrf = CSRFProtect()\n',
      'company/web/hooks.py': 'from shop.extensions import csrf\nfrom company.web.util import helper\ncsrf.exempt(a)\nhelper()\n',
      'company/web/util.py': 'def helper():\n    pass\n',
    });
    assert.equal(calleeAt(project, 'company/web/hooks.py', 3), 'shop.extensions.csrf.exempt');
    assert.equal(calleeAt(project, 'company/web/hooks.py', 4), 'util.helper');
  });

  test('without a project marker, folders under the scanned directory are namespace packages', async () => {
    const project = await projectOf({
      'web/ext.py': 'from flask_wtf.csrf import CSRFProtect\ncsrf = CSRFProtect()\n',
      'web/app.py': 'from web.ext import csrf\ncsrf.exempt(a)\n',
    });
    assert.equal(calleeAt(project, 'web/app.py', 2), 'ext.csrf.exempt');
    assert.ok(project.isScannedName('web.ext.csrf'));
  });

  test('a project folder named like a framework does not take the framework module names', async () => {
    const project = await projectOf({
      'pyproject.toml': '[project]\nname = "demo"\n',
      'examples/flask/views.py': 'class MethodView:\n    pass\n',
      'app.py': 'from flask.views import MethodView\nMethodView()\n',
    });
    assert.equal(calleeAt(project, 'app.py', 2), 'flask.views.MethodView');
    assert.ok(!project.isScannedName('flask.views.MethodView'));
  });

  test('with two projects in one tree, an import finds the module of its own project', async () => {
    const project = await projectOf({
      'one/manage.py': '',
      'one/site/__init__.py': '',
      'one/site/ext.py': 'from flask_wtf.csrf import CSRFProtect as guard\n',
      'one/site/app.py': 'from site.ext import guard\nguard(app)\n',
      'two/manage.py': '',
      'two/site/__init__.py': '',
      'two/site/ext.py': 'from flask_seasurf import SeaSurf as guard\n',
      'two/site/app.py': 'from site.ext import guard\nguard(app)\n',
    });
    assert.equal(calleeAt(project, 'one/site/app.py', 2), 'flask_wtf.csrf.CSRFProtect');
    assert.equal(calleeAt(project, 'two/site/app.py', 2), 'flask_seasurf.SeaSurf');
  });

  test('import cycles end', async () => {
    const project = await projectOf({
      'pkg/__init__.py': '',
      'pkg/a.py': 'from pkg.b import thing\nthing()\n',
      'pkg/b.py': 'from pkg.a import thing\n',
    });
    assert.ok(['pkg.a.thing', 'pkg.b.thing'].includes(calleeAt(project, 'pkg/a.py', 2) ?? ''));
  });
});
