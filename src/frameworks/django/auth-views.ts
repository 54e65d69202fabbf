/**
 * The views of `django.contrib.auth`, which a project routes itself (`auth_views.LoginView.as_view()`)
 * or all at once (`include("django.contrib.auth.urls")`). They are outside the scan, so what they
 * accept and whether they check CSRF themselves is known here, from Django's own source.
 */
export interface AuthView {
  /** `LoginView`. */
  name: string;
  methods: string[];
  /** Django decorates its dispatch with `csrf_protect`: it checks the token without the middleware. */
  csrfProtect: boolean;
}

const AUTH_VIEWS_MODULE = 'django.contrib.auth.views';
export const AUTH_URLS_MODULE = 'django.contrib.auth.urls';

const AUTH_VIEWS: readonly AuthView[] = [
  { name: 'LoginView', methods: ['GET', 'POST'], csrfProtect: true },
  { name: 'LogoutView', methods: ['GET', 'POST'], csrfProtect: true },
  { name: 'PasswordChangeView', methods: ['GET', 'POST'], csrfProtect: true },
  { name: 'PasswordChangeDoneView', methods: ['GET'], csrfProtect: false },
  { name: 'PasswordResetView', methods: ['GET', 'POST'], csrfProtect: true },
  { name: 'PasswordResetDoneView', methods: ['GET'], csrfProtect: false },
  { name: 'PasswordResetConfirmView', methods: ['GET', 'POST'], csrfProtect: false },
  { name: 'PasswordResetCompleteView', methods: ['GET'], csrfProtect: false },
];

/** The routes `django.contrib.auth.urls` gives its views. */
export const AUTH_URL_ROUTES: ReadonlyArray<{ route: string; view: AuthView }> = [
  ['login/', 'LoginView'],
  ['logout/', 'LogoutView'],
  ['password_change/', 'PasswordChangeView'],
  ['password_change/done/', 'PasswordChangeDoneView'],
  ['password_reset/', 'PasswordResetView'],
  ['password_reset/done/', 'PasswordResetDoneView'],
  ['reset/<uidb64>/<token>/', 'PasswordResetConfirmView'],
  ['reset/done/', 'PasswordResetCompleteView'],
].map(([route, name]) => ({ route: route!, view: AUTH_VIEWS.find((view) => view.name === name)! }));

/** The auth view a resolved name stands for: `django.contrib.auth.views.LoginView`. */
export function authViewNamed(qualifiedName: string): AuthView | undefined {
  if (!qualifiedName.startsWith(`${AUTH_VIEWS_MODULE}.`)) return undefined;
  const name = qualifiedName.slice(AUTH_VIEWS_MODULE.length + 1);
  return AUTH_VIEWS.find((view) => view.name === name);
}
