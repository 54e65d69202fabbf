import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium } from 'playwright-core';
import { CHROMIUM_FLAGS, chromiumExecutable } from './support/chromium.js';
import { runCli } from './support/cli.js';
import { HOSTILE_FILE_NAME, REPORT_PROJECT_FINDINGS, writeReportProject } from './support/report-project.js';

describe('--format html, opened in headless Chromium', () => {
  let browser: Browser;
  let reportFile: string;
  let junitFile: string;

  before(async () => {
    const directory = writeReportProject();
    const run = runCli(['check', '--format', 'html=report.html', '--format', 'junit=junit.xml', '--show-suppressed'], directory);
    assert.equal(run.status, 1, run.stderr);
    reportFile = path.join(directory, 'report.html');
    junitFile = path.join(directory, 'junit.xml');
    browser = await chromium.launch({ executablePath: chromiumExecutable(), args: CHROMIUM_FLAGS });
  });

  after(async () => {
    await browser?.close();
  });

  test('renders every finding with its code excerpt, fix and rule documentation', async () => {
    const page = await browser.newPage();
    const consoleMessages: string[] = [];
    page.on('console', (message) => consoleMessages.push(message.text()));
    await page.goto(pathToFileURL(reportFile).href);
    assert.equal(await page.title(), `csrflint report: ${REPORT_PROJECT_FINDINGS.length} findings`);
    const findings = await page.locator('article.finding').evaluateAll((articles) =>
      articles.map((article) => ({
        location: article.querySelector('p.muted code')?.textContent ?? '',
        suppressed: article.classList.contains('suppressed'),
        excerpt: article.querySelector('pre.excerpt .reported')?.textContent ?? '',
        fix: [...article.querySelectorAll('p')].some((paragraph) => paragraph.textContent?.startsWith('Fix: ')),
        docLink: article.querySelector('details.rule-doc a')?.getAttribute('href') ?? '',
      })),
    );
    const expected = [...REPORT_PROJECT_FINDINGS.map(([file, line]) => ({ file, line, suppressed: false })), { file: 'shop/views.py', line: 10, suppressed: true }].sort(
      (a, b) => a.file.localeCompare(b.file) || a.line - b.line,
    );
    assert.deepEqual(
      findings.map(({ location, suppressed }) => [location.replace(/:\d+$/, ''), suppressed]),
      expected.map(({ file, line, suppressed }) => [`${file}:${line}`, suppressed]),
    );
    for (const finding of findings) {
      assert.ok(finding.fix, finding.location);
      assert.match(finding.docLink, /^#rule-[a-z-]+$/);
      assert.equal(await page.locator(finding.docLink).count(), 1, finding.docLink);
    }
    assert.ok(findings.some((finding) => finding.excerpt.includes('@csrf_exempt')));
    assert.equal(await page.locator('#summary tbody tr').count(), 4);
    assert.deepEqual(consoleMessages, []);
  });

  test('scanned code cannot script the page: markup in code and file names stays text', async () => {
    const page = await browser.newPage();
    await page.goto(pathToFileURL(reportFile).href);
    assert.equal(await page.evaluate(() => (window as unknown as { csrflintInjected?: unknown }).csrflintInjected), undefined);
    assert.equal(await page.locator('script, svg, img, iframe, object, embed').count(), 0);
    const text = await page.locator('body').innerText();
    assert.ok(text.includes('<script>window.csrflintInjected = true</script>'), 'the hostile code is shown as text');
    assert.ok(text.includes(`shop/${HOSTILE_FILE_NAME}`), 'the hostile file name is shown as text');
  });

  test('its own style sheet applies under its Content-Security-Policy, and nothing else may load', async () => {
    const page = await browser.newPage();
    await page.goto(pathToFileURL(reportFile).href);
    const policy = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    assert.match(policy ?? '', /^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+';/);
    const badgeColor = await page.locator('.badge.high').first().evaluate((badge) => getComputedStyle(badge).color);
    assert.equal(badgeColor, 'rgb(255, 255, 255)');
  });

  test('the JUnit report of the same scan is well-formed XML', async () => {
    const page = await browser.newPage();
    const xml = readFileSync(junitFile, 'utf8');
    const parsed = await page.evaluate((text) => {
      const document = new DOMParser().parseFromString(text, 'application/xml');
      return { error: document.querySelector('parsererror')?.textContent ?? '', cases: document.querySelectorAll('testcase').length };
    }, xml);
    assert.deepEqual(parsed, { error: '', cases: REPORT_PROJECT_FINDINGS.length + 1 });
  });
});
