import { writeProject } from './projects.js';

/**
 * A small project for the report formats: two Django exemptions (one suppressed with a reason),
 * a Flask app with CSRF turned off, a template form without a token, and scanned code that tries
 * to inject markup into the reports (a `<script>` beside a finding, a file name that is an HTML tag).
 */
export const HOSTILE_FILE_NAME = '"><svg onload=window.csrflintInjected=1>.py';

export const REPORT_PROJECT_FILES: Record<string, string> = {
  'pyproject.toml': '[project]\nname = "reports"\nversion = "0.0.0"\n',
  'shop/views.py': `from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt

# </code></pre><script>window.csrflintInjected = true</script>
@csrf_exempt
def hook(request):
    return HttpResponse("<script>window.csrflintInjected = true</script>")


@csrf_exempt  # csrflint: ignore[django-csrf-exempt] -- the payment provider signs every call
def payment_webhook(request):
    return HttpResponse("ok")
`,
  [`shop/${HOSTILE_FILE_NAME}`]: `from django.views.decorators.csrf import csrf_exempt


@csrf_exempt
def injected(request):
    request.user.delete()
`,
  'app.py': `from flask import Flask, session

app = Flask(__name__)
app.config["WTF_CSRF_ENABLED"] = False


@app.route("/profile", methods=["POST"])
def update_profile():
    return session.get("user", "saved")
`,
  'templates/comment.html': `<h1>Comment</h1>
<form method="post" action="/comments"><script>window.csrflintInjected = true</script>
  <textarea name="body"></textarea>
  <button>Send</button>
</form>
`,
};

/** The unsuppressed findings of the project, in report order: path, line, rule. */
export const REPORT_PROJECT_FINDINGS = [
  ['app.py', 3, 'flask-csrf-protect-missing'],
  ['app.py', 4, 'flask-wtf-csrf-disabled'],
  [`shop/${HOSTILE_FILE_NAME}`, 4, 'django-csrf-exempt'],
  ['shop/views.py', 5, 'django-csrf-exempt'],
  ['templates/comment.html', 2, 'template-form-missing-csrf-token'],
] as const;

export function writeReportProject(): string {
  return writeProject(REPORT_PROJECT_FILES);
}
