import type { Project } from '../../../project/project.js';
import { defineRule } from '../../../rules/rule.js';
import { authenticationClassOf, authenticationLists, challengesForBasic, type AuthenticationList } from '../authentication-lists.js';

export default defineRule({
  id: 'drf-basic-authentication-first',
  code: 'CSRF106',
  title: 'Django REST framework asks browsers for an HTTP Basic password, which it then accepts without a CSRF check',
  severity: 'low',
  precision: 'medium',
  framework: 'drf',
  fix: 'List SessionAuthentication or a token class before BasicAuthentication, or override authenticate_header so that DRF answers 403 without a Basic challenge.',
  keywords: ['authentication_classes', 'BasicAuthentication', 'authenticate_header'],
  // Every finding is an `authentication_classes` or `DEFAULT_AUTHENTICATION_CLASSES` list.
  projectWords: ['authentication_classes'],
  doc: {
    whatItFinds: `A list of Django REST framework authentication classes whose **first** class is
\`BasicAuthentication\` (or a subclass that keeps its \`authenticate_header\`, or whose override still returns
\`super().authenticate_header(request)\` on some path): the
\`DEFAULT_AUTHENTICATION_CLASSES\` setting, a view's \`authentication_classes\`, or
\`@authentication_classes([...])\`. DRF builds the \`WWW-Authenticate\` header of its 401 answers from the
first class only, so with Basic first an unauthenticated browser gets \`WWW-Authenticate: Basic\`, shows
its password prompt, and from then on sends the password with every request to the site by itself.

Not reported when \`BasicAuthentication\` comes after another class (DRF then answers with that class's
header, or 403 when it has none, and the browser is never asked), or when the first class overrides
\`authenticate_header\` to return nothing or another scheme. An override that returns the parent's challenge
only under an \`if\` asking whether the request already sent \`Authorization: Basic\`
(\`if auth.lower().startswith("basic "):\`) is not reported either: an anonymous browser gets the other
scheme and is never asked for a password.`,
    whyItMatters: `\`BasicAuthentication\` never checks CSRF: only \`SessionAuthentication\` does. Once a user has typed their
password into the browser's prompt (to look at the browsable API, for example), any web site they visit can
post a form to the API and the browser adds the cached password: the request runs as that user. The
finding is low because the user must first have answered the prompt.`,
    example: `REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.BasicAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
}
`,
    useInstead: `REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.BasicAuthentication",
    ],
}
`,
    whenItIsFine: `When no browser user ever has the password: the API is for scripts and machines that send Basic
credentials themselves. Say so in a suppression reason (\`# csrflint: ignore[drf-basic-authentication-first] -- machine clients only\`).`,
    references: [
      { title: 'Django REST framework: BasicAuthentication', url: 'https://www.django-rest-framework.org/api-guide/authentication/#basicauthentication' },
      { title: 'Django REST framework: Unauthorized and Forbidden responses', url: 'https://www.django-rest-framework.org/api-guide/authentication/#unauthorized-and-forbidden-responses' },
    ],
  },
  check(context) {
    const { project } = context;
    for (const list of authenticationLists(project)) {
      const first = firstClass(project, list);
      if (first === undefined || !challengesForBasic(project, first)) continue;
      const message = `\`${shortName(first)}\` is first in ${describeList(list)}: DRF answers unauthenticated requests with \`WWW-Authenticate: Basic\`, the browser asks for a password and then sends it with every request, cross-site ones too, and BasicAuthentication never checks CSRF`;
      context.report({ file: list.module, range: list.range, message });
    }
  },
});

function firstClass(project: Project, list: AuthenticationList): string | undefined {
  const [first] = list.items;
  return first === undefined ? undefined : authenticationClassOf(project, first);
}

function describeList(list: AuthenticationList): string {
  return list.name === 'authentication_classes' ? '`authentication_classes`' : `\`${list.name}\``;
}

function shortName(qualifiedName: string): string {
  return qualifiedName.slice(qualifiedName.lastIndexOf('.') + 1);
}
