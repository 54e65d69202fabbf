import type { Project } from '../../project/project.js';

/**
 * Library class-based views whose own `dispatch` rejects a request that lacks a token in a header
 * before any handler runs, so a subclass's exempt `dispatch` leaves nothing a cross-site form can
 * forge. Each entry was checked against the library's source; add one only with the same care.
 */
export interface HeaderTokenView {
  /** Canonical names of the class, as the library exports it and where it is defined. */
  names: readonly string[];
  header: string;
  library: string;
}

export const HEADER_TOKEN_VIEWS: readonly HeaderTokenView[] = [
  // django-oauth-toolkit: `ProtectedResourceMixin.dispatch` calls `verify_request` (an OAuth2 Bearer token
  // in `Authorization`) and answers 403 when it fails; the scoped and read-write views add scope checks.
  // `ClientProtectedResourceView` is left out: it accepts client credentials from the body.
  {
    names: [
      'oauth2_provider.views.ProtectedResourceView',
      'oauth2_provider.views.ScopedProtectedResourceView',
      'oauth2_provider.views.ReadWriteScopedResourceView',
      'oauth2_provider.views.generic.ProtectedResourceView',
      'oauth2_provider.views.generic.ScopedProtectedResourceView',
      'oauth2_provider.views.generic.ReadWriteScopedResourceView',
      'oauth2_provider.views.mixins.ProtectedResourceMixin',
    ],
    header: 'Authorization',
    library: 'django-oauth-toolkit',
  },
];

/** The library view a class (canonical name) inherits that requires a header token on every request, if any. */
export function headerTokenViewOf(project: Project, className: string): HeaderTokenView | undefined {
  return HEADER_TOKEN_VIEWS.find((view) => project.inheritsFrom(className, (name) => view.names.includes(name)));
}
