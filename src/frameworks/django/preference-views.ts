/**
 * Library views that only store a display preference of the visitor and redirect: a forged request
 * to one changes how the site looks to the user, nothing they own. Kept to views whose whole
 * effect is known: Django's `set_language` sets the language cookie (and, before Django 4.0, the
 * session key) and redirects to a `next` URL it checks is on the same host.
 */
export interface PreferenceView {
  /** The qualified name a URL pattern routes to. */
  name: string;
  /** What a forged request changes, for the hint. */
  changes: string;
}

export const PREFERENCE_VIEWS: readonly PreferenceView[] = [
  { name: 'django.views.i18n.set_language', changes: "only switches the user's interface language: a forged request changes the language, nothing else" },
];

export function preferenceView(qualifiedName: string | undefined): PreferenceView | undefined {
  return PREFERENCE_VIEWS.find((view) => view.name === qualifiedName);
}
