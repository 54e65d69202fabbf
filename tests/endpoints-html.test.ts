import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './support/browser.js';
import { runCli } from './support/cli.js';
import { writeProject } from './support/projects.js';

const HOSTILE_ROUTE = '/<script>window.endpointsInjected = true</script>';

/** Two Flask apps, one protected and one not, and a route whose text is markup. */
const PROJECT = {
  'pyproject.toml': '[project]\nname = "blog"\n',
  'blog/__init__.py': '',
  'blog/app.py': `from flask import Flask, session
from flask_wtf.csrf import CSRFProtect

app = Flask(__name__)
csrf = CSRFProtect(app)


@app.route("/")
def index():
    return session.get("user", "")


@app.route("/posts", methods=["POST"])
def new_post():
    return "saved"


@app.route("/hook", methods=["POST"])
@csrf.exempt
def hook():
    return "ok"
`,
  'blog/admin.py': `from flask import Flask, session

admin = Flask("admin")


@admin.route("${HOSTILE_ROUTE}", methods=["POST"])
def ban():
    return session.get("admin", "")


@admin.route("/stats")
def stats():
    return ""
`,
};

describe('csrflint endpoints --format html, opened in headless Chromium', () => {
  let browser: Browser;
  let pageFile: string;

  before(async () => {
    const directory = writeProject(PROJECT);
    const run = runCli(['endpoints', '--format', 'html', '-o', 'endpoints.html'], directory);
    assert.equal(run.status, 0, run.stderr);
    pageFile = path.join(directory, 'endpoints.html');
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
  });

  async function open(): Promise<{ page: Page; console: string[] }> {
    const page = await browser.newPage();
    const console: string[] = [];
    page.on('console', (message) => console.push(message.text()));
    await page.goto(pathToFileURL(pageFile).href);
    return { page, console };
  }

  const visibleStates = (page: Page) => page.locator('#endpoints tbody tr:not(.hidden)').evaluateAll((rows) => rows.map((row) => (row as HTMLElement).dataset.csrf));

  test('lists every endpoint, with a chart of states per app and links to the findings', async () => {
    const { page, console } = await open();
    assert.equal(await page.title(), 'csrflint endpoints: 5 endpoints, 3 state-changing, 1 exempt, 1 unprotected, 0 unknown');
    assert.deepEqual(await visibleStates(page), ['unprotected', 'safe', 'exempt', 'protected', 'safe']);
    const bars = await page.locator('#chart g').evaluateAll((groups) => groups.map((group) => [group.getAttribute('data-app'), [...group.querySelectorAll('rect')].map((rect) => rect.getAttribute('class'))]));
    assert.deepEqual(bars, [
      ['blog.admin.admin', ['unprotected', 'safe']],
      ['blog.app.app', ['exempt', 'protected', 'safe']],
    ]);
    const links = await page.locator('#endpoints a[href^="#finding-"]').evaluateAll((anchors) => anchors.map((anchor) => anchor.getAttribute('href')!));
    assert.equal(links.length, 3, "the admin app's finding on both its endpoints, the exemption on the hook");
    for (const link of links) assert.equal(await page.locator(link).count(), 1, link);
    assert.deepEqual(console, []);
  });

  test('columns sort and the table filters, by the page\'s own script under its Content-Security-Policy', async () => {
    const { page, console } = await open();
    const policy = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    assert.match(policy ?? '', /^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'; script-src 'sha256-[A-Za-z0-9+/=]+';/);
    await page.locator('th', { hasText: 'view' }).locator('button').click();
    const views = () => page.locator('#endpoints tbody tr:not(.hidden) td:nth-child(5)').allInnerTexts();
    assert.deepEqual(await views(), ['ban', 'hook', 'index', 'new_post', 'stats']);
    await page.locator('th', { hasText: 'view' }).locator('button').click();
    assert.deepEqual(await views(), ['stats', 'new_post', 'index', 'hook', 'ban']);
    await page.locator('input[name="state"][value="safe"]').uncheck();
    assert.deepEqual(await views(), ['new_post', 'hook', 'ban']);
    await page.locator('#filter').fill('admin');
    assert.deepEqual(await views(), ['ban']);
    assert.equal(await page.locator('#shown').innerText(), '1');
    assert.deepEqual(console, []);
  });

  test('scanned text stays text: a route written as markup cannot script the page', async () => {
    const { page } = await open();
    assert.equal(await page.evaluate(() => (window as unknown as { endpointsInjected?: unknown }).endpointsInjected), undefined);
    assert.equal(await page.locator('script').count(), 1);
    assert.ok((await page.locator('#endpoints').innerText()).includes(HOSTILE_ROUTE));
  });
});

describe('csrflint endpoints --format html: the unknown state', () => {
  test('an endpoint behind a middleware the scan cannot read has its own bar, colour and filter', async () => {
    const directory = writeProject({
      'pyproject.toml': '[project]\nname = "notes"\n',
      'notes/__init__.py': '',
      'notes/settings.py': 'ROOT_URLCONF = "notes.urls"\nMIDDLEWARE = [\n    "django.contrib.sessions.middleware.SessionMiddleware",\n    "audited_csrf.middleware.CsrfViewMiddleware",\n]\n',
      'notes/views.py': 'from django.views.decorators.http import require_POST\n\n\n@require_POST\ndef archive(request):\n    return None\n',
      'notes/urls.py': 'from django.urls import path\n\nfrom notes import views\n\nurlpatterns = [path("archive/", views.archive)]\n',
    });
    const run = runCli(['endpoints', '--format', 'html', '-o', 'endpoints.html'], directory);
    assert.equal(run.status, 0, run.stderr);
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.goto(pathToFileURL(path.join(directory, 'endpoints.html')).href);
      assert.deepEqual(await page.locator('#chart rect').evaluateAll((rects) => rects.map((rect) => rect.getAttribute('class'))), ['unknown']);
      assert.notEqual(await page.locator('#endpoints .state.unknown').evaluate((badge) => getComputedStyle(badge).backgroundColor), 'rgba(0, 0, 0, 0)');
      await page.locator('input[name="state"][value="unknown"]').uncheck();
      assert.equal(await page.locator('#shown').innerText(), '0');
    } finally {
      await browser.close();
    }
  });
});
