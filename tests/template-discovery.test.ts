import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import { check } from '../src/engine.js';
import { writeProject } from './support/projects.js';

const FORM_WITHOUT_TOKEN = '<form method="post" action="/subscribe"><input name="email"></form>\n';

async function reportedTemplates(cwd: string, paths: string[]): Promise<string[]> {
  const result = await check({ paths, cwd, respectGitignore: false });
  return result.findings.filter((finding) => finding.rule === 'template-form-missing-csrf-token').map((finding) => finding.path);
}

describe('template discovery', () => {
  test('a folder named templates above the project does not make its HTML files templates', async () => {
    const directory = writeProject({
      'templates/shop/pyproject.toml': '',
      'templates/shop/static/page.html': FORM_WITHOUT_TOKEN,
      'templates/shop/htmlcov/index.html': FORM_WITHOUT_TOKEN,
      'templates/shop/app/templates/app/subscribe.html': FORM_WITHOUT_TOKEN,
    });
    const expected = ['app/templates/app/subscribe.html'];
    assert.deepEqual(await reportedTemplates(path.join(directory, 'templates', 'shop'), ['.']), expected);
    assert.deepEqual(await reportedTemplates(directory, ['templates/shop']), expected.map((file) => `templates/shop/${file}`));
  });

  test('without a project marker, only folders below the scanned directory count', async () => {
    const directory = writeProject({
      'jinja2/site/static/page.html': FORM_WITHOUT_TOKEN,
      'jinja2/site/jinja2/subscribe.html': FORM_WITHOUT_TOKEN,
    });
    assert.deepEqual(await reportedTemplates(path.join(directory, 'jinja2', 'site'), ['.']), ['jinja2/subscribe.html']);
  });

  test('a scan started inside a template folder of the project still reads its templates', async () => {
    const directory = writeProject({
      'pyproject.toml': '',
      'app/templates/app/subscribe.html': FORM_WITHOUT_TOKEN,
    });
    assert.deepEqual(await reportedTemplates(directory, ['app/templates/app']), ['app/templates/app/subscribe.html']);
  });
});
