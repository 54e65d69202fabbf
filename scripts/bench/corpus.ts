import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * A generated tree of realistic Django and Flask projects for the benchmark: settings, URL confs,
 * views (a few exempted), forms, models, migrations, services, utilities, tests and templates,
 * in the proportions of real applications, where most modules hold no CSRF-related code at all.
 * `scale` copies of one Django and one Flask project make the 1x, 10x and 100x corpora.
 */
export function writeCorpus(root: string, scale: number): void {
  for (let copy = 0; copy < scale; copy++) {
    writeFiles(path.join(root, `django_shop_${copy}`), djangoProject(copy), copy);
    writeFiles(path.join(root, `flask_blog_${copy}`), flaskProject(copy), copy);
  }
}

/** Each copy's files differ (their header names the copy), as the files of different projects do. */
function writeFiles(root: string, files: Record<string, string>, copy: number): void {
  for (const [relative, content] of Object.entries(files)) {
    const target = path.join(root, relative);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, relative.endsWith('.py') && content !== '' ? `${moduleHeader(relative, copy)}${content}` : content);
  }
}

/** The licence comment and module docstring most real modules open with. */
function moduleHeader(relative: string, copy: number): string {
  return `# Copyright (c) The Example Shop Authors, team ${copy}.
# SPDX-License-Identifier: BSD-3-Clause
#
# Redistribution and use in source and binary forms, with or without modification, are permitted
# provided that the conditions of the licence in the LICENSE file at the root of this repository
# are met. This file is part of a generated benchmark corpus and is not meant to be run.
"""${relative.replace(/\.py$/, '').replace(/\//g, '.')}.

This module belongs to a generated project used to measure how long a scanner takes over a tree of
ordinary application code: models, views, forms, services and their tests, written the way teams
write them, with docstrings and comments that say what each part is for.
"""

`;
}

const ENTITIES = ['Product', 'Order', 'Customer', 'Invoice', 'Shipment', 'Coupon', 'Review', 'Category', 'Supplier', 'Warehouse', 'Payment', 'Refund'];

function djangoProject(copy: number): Record<string, string> {
  const files: Record<string, string> = {
    'manage.py': MANAGE_PY,
    'shop/__init__.py': '',
    'shop/settings.py': djangoSettings(copy),
    'shop/urls.py': djangoUrls(),
    'shop/wsgi.py': 'import os\n\nfrom django.core.wsgi import get_wsgi_application\n\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")\napplication = get_wsgi_application()\n',
  };
  for (const app of ['catalog', 'orders', 'accounts', 'billing']) {
    files[`${app}/__init__.py`] = '';
    files[`${app}/apps.py`] = `from django.apps import AppConfig\n\n\nclass ${capitalise(app)}Config(AppConfig):\n    name = "${app}"\n    default_auto_field = "django.db.models.BigAutoField"\n`;
    files[`${app}/models.py`] = djangoModels(app);
    files[`${app}/views.py`] = djangoViews(app, copy);
    files[`${app}/forms.py`] = djangoForms(app);
    files[`${app}/admin.py`] = djangoAdmin(app);
    files[`${app}/services.py`] = plainServices(app);
    files[`${app}/selectors.py`] = plainSelectors(app);
    files[`${app}/migrations/__init__.py`] = '';
    files[`${app}/migrations/0001_initial.py`] = djangoMigration(app);
    files[`${app}/tests/__init__.py`] = '';
    files[`${app}/tests/test_views.py`] = djangoTests(app);
    files[`${app}/templates/${app}/edit.html`] = djangoTemplate(app, true);
    files[`${app}/templates/${app}/search.html`] = djangoTemplate(app, false);
  }
  files['shop/utils/__init__.py'] = '';
  files['shop/utils/text.py'] = plainUtilities();
  files['shop/utils/money.py'] = plainMoney();
  return files;
}

function flaskProject(copy: number): Record<string, string> {
  return {
    'pyproject.toml': `[project]\nname = "blog-${copy}"\nversion = "1.0.0"\n`,
    'blog/__init__.py': FLASK_FACTORY,
    'blog/extensions.py': 'from flask_sqlalchemy import SQLAlchemy\nfrom flask_wtf.csrf import CSRFProtect\n\ndb = SQLAlchemy()\ncsrf = CSRFProtect()\n',
    'blog/config.py': FLASK_CONFIG,
    'blog/models.py': flaskModels(),
    'blog/forms.py': flaskForms(),
    'blog/posts/__init__.py': '',
    'blog/posts/views.py': flaskViews('posts', copy),
    'blog/comments/__init__.py': '',
    'blog/comments/views.py': flaskViews('comments', copy + 1),
    'blog/api/__init__.py': '',
    'blog/api/views.py': flaskApi(),
    'blog/services/__init__.py': '',
    'blog/services/publishing.py': plainServices('posts'),
    'blog/services/search.py': plainSelectors('posts'),
    'blog/utils.py': plainUtilities(),
    'blog/templates/posts/edit.html': flaskTemplate(true),
    'blog/templates/posts/list.html': flaskTemplate(false),
    'tests/__init__.py': '',
    'tests/conftest.py': 'import pytest\n\nfrom blog import create_app\n\n\n@pytest.fixture\ndef app():\n    app = create_app("blog.config.TestingConfig")\n    yield app\n',
    'tests/test_posts.py': flaskTests(),
  };
}

const MANAGE_PY = `#!/usr/bin/env python
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
`;

function djangoSettings(copy: number): string {
  const csrf = copy % 10 === 9 ? '    # CSRF is handled by the edge proxy\n' : '    "django.middleware.csrf.CsrfViewMiddleware",\n';
  return `from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = "change-me"
DEBUG = False
ALLOWED_HOSTS = ["shop.example.com"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "catalog",
    "orders",
    "accounts",
    "billing",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
${csrf}    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]

ROOT_URLCONF = "shop.urls"
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "db.sqlite3"}}
STATIC_URL = "static/"
`;
}

function djangoUrls(): string {
  const routes = ['catalog', 'orders', 'accounts', 'billing'].map((app) => `    path("${app}/", include("${app}.urls")),`).join('\n');
  return `from django.contrib import admin\nfrom django.urls import include, path\n\nurlpatterns = [\n    path("admin/", admin.site.urls),\n${routes}\n]\n`;
}

function djangoModels(app: string): string {
  const models = entitiesFor(app).map(
    (entity) => `class ${entity}(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    description = models.TextField(blank=True)
    price = models.DecimalField(max_digits=10, decimal_places=2, default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["slug"])]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("${app}:detail", kwargs={"slug": self.slug})

    @property
    def display_price(self):
        return f"{self.price:.2f} EUR"
`,
  );
  return `from django.db import models\nfrom django.urls import reverse\n\n\n${models.join('\n\n')}`;
}

function djangoViews(app: string, copy: number): string {
  const [entity = 'Item'] = entitiesFor(app);
  const exempt = app === 'billing' ? `\n\n@csrf_exempt\n@require_POST\ndef payment_webhook(request):\n    payload = json.loads(request.body)\n    handle_event(payload["type"], payload["data"])\n    return HttpResponse(status=204)\n` : '';
  return `import json

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, ListView

from .forms import ${entity}Form
from .models import ${entity}
from .services import handle_event


class ${entity}ListView(ListView):
    model = ${entity}
    paginate_by = ${20 + (copy % 5)}


class ${entity}DetailView(DetailView):
    model = ${entity}


@login_required
def edit(request, slug):
    item = get_object_or_404(${entity}, slug=slug)
    form = ${entity}Form(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        form.save()
        return redirect(item)
    return render(request, "${app}/edit.html", {"form": form, "item": item})


def search(request):
    query = request.GET.get("q", "")
    results = ${entity}.objects.filter(name__icontains=query)[:50]
    return JsonResponse({"results": [item.name for item in results]})
${exempt}`;
}

function djangoForms(app: string): string {
  const [entity = 'Item'] = entitiesFor(app);
  return `from django import forms\n\nfrom .models import ${entity}\n\n\nclass ${entity}Form(forms.ModelForm):\n    class Meta:\n        model = ${entity}\n        fields = ["name", "slug", "description", "price", "is_active"]\n\n    def clean_price(self):\n        price = self.cleaned_data["price"]\n        if price < 0:\n            raise forms.ValidationError("The price cannot be negative.")\n        return price\n`;
}

function djangoAdmin(app: string): string {
  const registrations = entitiesFor(app).map((entity) => `@admin.register(${entity})\nclass ${entity}Admin(admin.ModelAdmin):\n    list_display = ["name", "price", "is_active"]\n    search_fields = ["name", "slug"]\n    prepopulated_fields = {"slug": ["name"]}\n`);
  return `from django.contrib import admin\n\nfrom .models import ${entitiesFor(app).join(', ')}\n\n\n${registrations.join('\n\n')}`;
}

function djangoMigration(app: string): string {
  const operations = entitiesFor(app).map(
    (entity) => `        migrations.CreateModel(
            name="${entity}",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=200)),
                ("slug", models.SlugField(unique=True)),
                ("description", models.TextField(blank=True)),
                ("price", models.DecimalField(decimal_places=2, default=0, max_digits=10)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                ("is_active", models.BooleanField(default=True)),
            ],
            options={"ordering": ["-created_at"]},
        ),`,
  );
  return `from django.db import migrations, models\n\n\nclass Migration(migrations.Migration):\n    initial = True\n    dependencies = []\n\n    operations = [\n${operations.join('\n')}\n    ]\n`;
}

function djangoTests(app: string): string {
  const [entity = 'Item'] = entitiesFor(app);
  return `from django.test import TestCase\nfrom django.urls import reverse\n\nfrom ${app}.models import ${entity}\n\n\nclass ${entity}ViewTests(TestCase):\n    def setUp(self):\n        self.item = ${entity}.objects.create(name="Lamp", slug="lamp", price=10)\n\n    def test_list(self):\n        response = self.client.get(reverse("${app}:list"))\n        self.assertEqual(response.status_code, 200)\n\n    def test_search(self):\n        response = self.client.get(reverse("${app}:search"), {"q": "la"})\n        self.assertContains(response, "Lamp")\n`;
}

function djangoTemplate(app: string, post: boolean): string {
  const form = post
    ? `<form method="post" action="">\n  {% csrf_token %}\n  {{ form.as_p }}\n  <button type="submit">Save</button>\n</form>`
    : `<form method="get" action="{% url '${app}:search' %}">\n  <input type="search" name="q">\n</form>`;
  return `{% extends "base.html" %}\n{% block content %}\n<h1>${capitalise(app)}</h1>\n${form}\n{% endblock %}\n`;
}

const FLASK_FACTORY = `from flask import Flask

from .extensions import csrf, db


def create_app(config="blog.config.ProductionConfig"):
    app = Flask(__name__)
    app.config.from_object(config)
    db.init_app(app)
    csrf.init_app(app)

    from .api.views import api
    from .comments.views import comments
    from .posts.views import posts

    app.register_blueprint(posts)
    app.register_blueprint(comments, url_prefix="/comments")
    app.register_blueprint(api, url_prefix="/api")
    return app
`;

const FLASK_CONFIG = `import os


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY", "dev")
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL", "sqlite:///blog.db")
    SQLALCHEMY_TRACK_MODIFICATIONS = False


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = True


class TestingConfig(Config):
    TESTING = True
    WTF_CSRF_ENABLED = False
`;

function flaskModels(): string {
  const models = ['Post', 'Comment', 'Tag', 'Author'].map(
    (entity) => `class ${entity}(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(200), nullable=False)
    body = db.Column(db.Text, default="")
    created_at = db.Column(db.DateTime, default=datetime.utcnow)

    def to_dict(self):
        return {"id": self.id, "title": self.title, "body": self.body, "created_at": self.created_at.isoformat()}
`,
  );
  return `from datetime import datetime\n\nfrom .extensions import db\n\n\n${models.join('\n\n')}`;
}

function flaskForms(): string {
  return `from flask_wtf import FlaskForm\nfrom wtforms import StringField, TextAreaField\nfrom wtforms.validators import DataRequired, Length\n\n\nclass PostForm(FlaskForm):\n    title = StringField("Title", validators=[DataRequired(), Length(max=200)])\n    body = TextAreaField("Body")\n\n\nclass CommentForm(FlaskForm):\n    body = TextAreaField("Comment", validators=[DataRequired()])\n`;
}

function flaskViews(name: string, copy: number): string {
  const exempt = copy % 7 === 3 ? '\n\n@posts_like.route("/<int:post_id>/like", methods=["POST"])\n@csrf.exempt\ndef like(post_id):\n    return {"liked": post_id}\n'.replace(/posts_like/g, name) : '';
  return `from flask import Blueprint, redirect, render_template, request, url_for

from ..extensions import csrf, db
from ..forms import PostForm
from ..models import Post

${name} = Blueprint("${name}", __name__)


@${name}.route("/")
def index():
    page = request.args.get("page", 1, type=int)
    items = Post.query.order_by(Post.created_at.desc()).paginate(page=page, per_page=20)
    return render_template("posts/list.html", items=items)


@${name}.route("/new", methods=["GET", "POST"])
def create():
    form = PostForm()
    if form.validate_on_submit():
        post = Post(title=form.title.data, body=form.body.data)
        db.session.add(post)
        db.session.commit()
        return redirect(url_for("${name}.index"))
    return render_template("posts/edit.html", form=form)
${exempt}`;
}

function flaskApi(): string {
  return `from flask import Blueprint, jsonify, request\n\nfrom ..extensions import db\nfrom ..models import Post\n\napi = Blueprint("api", __name__)\n\n\n@api.route("/posts")\ndef list_posts():\n    return jsonify([post.to_dict() for post in Post.query.limit(100)])\n\n\n@api.route("/posts", methods=["POST"])\ndef create_post():\n    data = request.get_json()\n    post = Post(title=data["title"], body=data.get("body", ""))\n    db.session.add(post)\n    db.session.commit()\n    return jsonify(post.to_dict()), 201\n`;
}

function flaskTemplate(post: boolean): string {
  return post
    ? `{% extends "base.html" %}\n{% block content %}\n<form method="post">\n  {{ form.hidden_tag() }}\n  {{ form.title.label }} {{ form.title() }}\n  {{ form.body() }}\n  <button>Save</button>\n</form>\n{% endblock %}\n`
    : `{% extends "base.html" %}\n{% block content %}\n<ul>{% for item in items %}<li>{{ item.title }}</li>{% endfor %}</ul>\n{% endblock %}\n`;
}

function flaskTests(): string {
  return `def test_index(client):\n    response = client.get("/")\n    assert response.status_code == 200\n\n\ndef test_create(client):\n    response = client.post("/new", data={"title": "Hello", "body": "World"})\n    assert response.status_code == 302\n`;
}

function plainServices(app: string): string {
  const functions = entitiesFor(app).map(
    (entity) => `def summarise_${entity.toLowerCase()}s(records, *, limit=10):
    """Groups ${entity.toLowerCase()} records by month and totals their amounts."""
    totals = defaultdict(Decimal)
    for record in records:
        month = record["created_at"].strftime("%Y-%m")
        totals[month] += Decimal(str(record.get("amount", 0)))
    ranked = sorted(totals.items(), key=lambda pair: pair[1], reverse=True)
    return [{"month": month, "total": str(total)} for month, total in ranked[:limit]]


def handle_${entity.toLowerCase()}_event(event_type, payload):
    handlers = {"created": _created, "updated": _updated}
    handler = handlers.get(event_type)
    if handler is None:
        logger.info("ignored %s event for ${entity.toLowerCase()}", event_type)
        return None
    return handler(payload)
`,
  );
  return `import logging\nfrom collections import defaultdict\nfrom decimal import Decimal\n\nlogger = logging.getLogger(__name__)\n\n\ndef _created(payload):\n    return {"status": "created", **payload}\n\n\ndef _updated(payload):\n    return {"status": "updated", **payload}\n\n\ndef handle_event(event_type, payload):\n    return _created(payload) if event_type.endswith("created") else _updated(payload)\n\n\n${functions.join('\n\n')}`;
}

function plainSelectors(app: string): string {
  return `from dataclasses import dataclass, field\nfrom typing import Iterable\n\n\n@dataclass\nclass Page:\n    items: list = field(default_factory=list)\n    number: int = 1\n    size: int = 20\n\n    @property\n    def has_next(self):\n        return len(self.items) == self.size\n\n\ndef paginate(items: Iterable, number: int = 1, size: int = 20) -> Page:\n    start = (number - 1) * size\n    chosen = list(items)[start : start + size]\n    return Page(items=chosen, number=number, size=size)\n\n\ndef ${app}_matching(items, words):\n    lowered = [word.lower() for word in words]\n    return [item for item in items if all(word in item["name"].lower() for word in lowered)]\n`;
}

function plainUtilities(): string {
  return `import re
import unicodedata

_SLUG_STRIP = re.compile(r"[^\\w\\s-]")
_SLUG_HYPHENATE = re.compile(r"[-\\s]+")


def slugify(value):
    value = unicodedata.normalize("NFKD", str(value)).encode("ascii", "ignore").decode("ascii")
    value = _SLUG_STRIP.sub("", value).strip().lower()
    return _SLUG_HYPHENATE.sub("-", value)


def truncate_words(text, count, suffix="..."):
    words = text.split()
    if len(words) <= count:
        return text
    return " ".join(words[:count]) + suffix


def chunked(items, size):
    for start in range(0, len(items), size):
        yield items[start : start + size]
`;
}

function plainMoney(): string {
  return `from decimal import ROUND_HALF_UP, Decimal

RATES = {"EUR": Decimal("1"), "USD": Decimal("1.08"), "GBP": Decimal("0.86")}


def convert(amount, source, target):
    in_euros = Decimal(amount) / RATES[source]
    return (in_euros * RATES[target]).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def split_evenly(amount, parts):
    share = (Decimal(amount) / parts).quantize(Decimal("0.01"))
    shares = [share] * parts
    shares[-1] += Decimal(amount) - share * parts
    return shares
`;
}

function entitiesFor(app: string): string[] {
  const start = app.length % ENTITIES.length;
  return [0, 1, 2, 3, 4, 5].map((offset) => ENTITIES[(start + offset * 5) % ENTITIES.length]!);
}

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
