import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { check } from '../src/engine.js';
import { loadProject } from '../src/load-project.js';
import { defineRule, type Rule } from '../src/rules/rule.js';
import { RULES } from '../src/rules/index.js';
import { writeProject } from './support/projects.js';

/** A rule about aiohttp that records each project it is run on and reports nothing. */
function aiohttpProbe(): { rule: Rule; runs: number[] } {
  const runs: number[] = [];
  const base = RULES.find((rule) => rule.id === 'aiohttp-csrf-exempt')!;
  const rule = defineRule({ ...base, keywords: ['def'], packages: ['aiohttp'], check: ({ project }) => void runs.push(project.modules.length) });
  return { rule, runs };
}

async function runsOn(files: Record<string, string>): Promise<number[]> {
  const { rule, runs } = aiohttpProbe();
  await check({ paths: ['.'], cwd: writeProject({ 'pyproject.toml': '', ...files }), rules: [rule], respectGitignore: false, prefilter: false });
  return runs;
}

describe('rules are run only where their libraries can be named', () => {
  test('a rule about a library no module imports is not run', async () => {
    assert.deepEqual(await runsOn({ 'views.py': 'from django.http import HttpResponse\ndef index(request):\n    return HttpResponse()\n' }), []);
  });

  test('it is run when a module imports the library, imports from it, or when the scan holds the library itself', async () => {
    assert.deepEqual(await runsOn({ 'app.py': 'import aiohttp.web\ndef make():\n    return aiohttp.web.Application()\n' }), [1]);
    assert.deepEqual(await runsOn({ 'app.py': 'from aiohttp import web\n' }), [1]);
    assert.deepEqual(await runsOn({ 'aiohttp/__init__.py': 'def run():\n    pass\n' }), [1]);
  });
});

describe('names a project may refer to', () => {
  test('a library is reachable when imported, scanned, named unimported (Flask) or reached by a rewrite (flask.ext.wtf)', async () => {
    const directory = writeProject({ 'app.py': 'import aiohttp\nfrom flask.ext.wtf import Form\n', 'local/__init__.py': '' });
    const { project } = await loadProject({ paths: ['.'], cwd: directory, respectGitignore: false, prefilter: false });
    const names = ['aiohttp.web.Application', 'local.views.View', 'flask.Flask', 'flask_wtf.FlaskForm', 'builtins.dict', 'litestar.Litestar', 'pyramid.config.Configurator', 'tornado'];
    assert.deepEqual(names.map((name) => project.mayReferTo(name)), [true, true, true, true, true, false, false, false]);
  });
});
