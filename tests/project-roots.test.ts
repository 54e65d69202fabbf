import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { check } from '../src/engine.js';
import { writeProject } from './support/projects.js';

describe('project roots of a tree without markers', () => {
  // An archive extracted without `.git` or `pyproject.toml`: `from hub import web_ui` in `app/frontend.py` reaches `app/hub/`.
  const files = {
    'app/hub/__init__.py': '',
    'app/hub/web_ui.py': 'from flask_httpauth import HTTPBasicAuth\n\nauth = HTTPBasicAuth()\n',
    'app/frontend.py': [
      'from flask import Flask, request',
      'from hub import web_ui',
      '',
      'app = Flask(__name__)',
      '',
      '',
      '@app.route("/cameras/<name>", methods=["POST"])',
      '@web_ui.auth.login_required',
      'def command(name):',
      '    return request.form["command"]',
      '',
    ].join('\n'),
  };

  test('the scanned folder is the project: the credential in another folder counts for the app', async () => {
    const directory = writeProject(files);
    const result = await check({ paths: ['.'], cwd: directory });
    assert.deepEqual(
      result.findings.map((finding) => [finding.code, finding.path, finding.line]),
      [['CSRF202', 'app/frontend.py', 4]],
    );
  });
});
