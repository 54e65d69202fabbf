import { itemsBetween } from './csrf-token.js';
import type { TemplateForm } from './forms.js';
import type { TemplateDocument } from './template-document.js';

/** `password`, `password1`, `passwd`, `pwd`, `new_password`: a field that takes a password. */
const PASSWORD_FIELD = /pass(?:word|wd)?\d*$|^pwd\d*$/i;

/** `username`, `login`, `email`, `user_id`: the field that names the account a password opens. */
export const ACCOUNT_FIELD = /^(?:user(?:_?name|_?id)?|u_?name|login|e?-?mail(?:_?address)?|account|identifier|identity)$/i;

/** `old_password`, `current_password`, `oldpassword`: the user already logged in proves who they are. */
const CURRENT_PASSWORD_FIELD = /(?:old|current|existing)_?pass/i;

/** Words of view names of logins and registrations: `auth.login`, `accounts:signup`, `register_user`, `userRegistration`. */
const SIGN_IN_WORDS = /(?:^|_)(?:log_?in|log_?on|sign_?in|sign_?up|register|registration)(?:_|$)/;

/** Words of view names that manage accounts for someone already signed in: `add_user`, `users.edit`, `invite_member`, `user_profile`. */
const ACCOUNT_MANAGEMENT_WORDS = /(?:^|_)(?:add|create|new|edit|update|change|set|invite|admin|manage|disable|enable|delete|profile)(?:_|$)/;

/** Where a view name's words meet: a separator, or a lower-case letter before an upper-case one. */
const WORD_BOUNDARY = /[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])/g;

/** `/auth/forgot/`, `accounts:password_reset`, `lost_password`, `admin.mail_recovery_token`. */
const PASSWORD_RESET_TARGET = /forgot|lost_?pass|pass(?:word)?_?reset|reset_?pass|recover/i;

/** The widgets of reCAPTCHA, hCaptcha and Turnstile, as their classes name them. */
const CAPTCHA_WIDGET = /\b(?:g-recaptcha|h-captcha|cf-turnstile|frc-captcha)\b/;

/** A field of a captcha answer (`captcha`, `g-recaptcha-response`) or WTForms' `RecaptchaField` (`form.recaptcha`). */
const CAPTCHA_FIELD = /captcha/i;

/** `form.email`, `user_form.password`, `render_field(form.username)`: the fields of a form object. */
const FORM_OBJECT = /form/i;

/** A dotted name in a template expression: `form.email`, `current_user.email`. */
const DOTTED_NAME = /[A-Za-z_][\w-]*(?:\s*\.\s*[A-Za-z_][\w-]*)*/g;

const STRING_LITERAL = /"[^"]*"|'[^']*'/g;

/**
 * A login or registration form: a password, no current password of a user already logged in (a
 * change-password form acts for that user, and so does one with three password inputs, the current
 * one, the new one and its repeat, whatever they are called: TorCMS's \`rawpass\`), and posted to a view named for signing in or up; where
 * the view is not known or its name is neutral (`openid.form_submit`), a password and the name of the
 * account it opens (a username or an email). A known view named for managing accounts (`add_user`)
 * may be an admin creating an account: not a sign-in.
 * Fields count as written (`<input name="email">`, `type="password"`) or as rendered (`{{ form.password }}`).
 */
export function signsIn(document: TemplateDocument, form: TemplateForm, view: string | undefined): boolean {
  const fields = fieldNames(document, form);
  if (!asksForPassword(form, fields)) return false;
  if (fields.some((field) => CURRENT_PASSWORD_FIELD.test(field))) return false;
  if (passwordInputs(form) >= CHANGE_PASSWORD_INPUTS) return false;
  if (view !== undefined && isSignInView(view)) return true;
  if (view !== undefined && ACCOUNT_MANAGEMENT_WORDS.test(viewWords(view))) return false;
  return fields.some(namesAccount);
}

/** \`username\`, or the last part of a nested name a form library writes: \`user.login\`, \`user[email]\`. */
function namesAccount(field: string): boolean {
  const parts = field.split(/[.[\]]/).filter((part) => part !== '');
  return ACCOUNT_FIELD.test(parts[parts.length - 1] ?? field);
}

/** `auth.login`, `accounts:sign_up`, `registerUser`; not `blog_index` or `registry`. */
export function isSignInView(view: string): boolean {
  return SIGN_IN_WORDS.test(viewWords(view));
}

/** `accounts:signUp` gives `accounts_sign_up`. */
function viewWords(view: string): string {
  return view.split(WORD_BOUNDARY).join('_').toLowerCase();
}

/**
 * A password-reset request: the name of an account (an email or a username) and no password, posted
 * to a view or URL named for a forgotten password (`/auth/forgot/`, `password_reset`,
 * `mail_recovery_token`). A forged post mails a reset link to the account's own address.
 */
export function requestsPasswordReset(document: TemplateDocument, form: TemplateForm, view: string | undefined): boolean {
  if (!PASSWORD_RESET_TARGET.test(view ?? form.action ?? '')) return false;
  const fields = fieldNames(document, form);
  return !asksForPassword(form, fields) && fields.some(namesAccount);
}

/** `search`, `/search/`, `docs.find`, `lookup_user`: a view or URL named for a search. */
const SEARCH_TARGET = /(?:^|[^a-z])(?:search|find|lookup|query)(?:$|[^a-z])/i;

/** `q`, `query`, `search`, `terms`, `keywords`: the field a search reads. */
const QUERY_FIELD = /^(?:q|s|query|search|terms?|keywords?|text|search[-_]?(?:terms?|query|text))$/i;

const TEXT_AREA = /<textarea\b/i;

/** Inputs a search form may hold besides its query: what submits it, and hidden options. */
const QUIET_INPUT_TYPES = new Set(['submit', 'image', 'button', 'reset', 'hidden']);

/**
 * A search form: posted to a view or URL named for a search, with one query field (`q`) and
 * nothing else the user fills in but hidden options and buttons (whoogle's `search.html`). A forged
 * post runs a search whose results the forging page cannot read; no rendered field, password,
 * file or text area, which could carry more.
 */
export function onlySearches(document: TemplateDocument, form: TemplateForm, view: string | undefined): boolean {
  if (!SEARCH_TARGET.test(view ?? form.action ?? '')) return false;
  if (bodyTags(document, form).some((content) => FORM_OBJECT.test(content)) || TEXT_AREA.test(document.source.markup.slice(form.bodyStart, form.bodyEnd))) return false;
  const filled = form.controls.filter((control) => control.element !== 'button' && !QUIET_INPUT_TYPES.has((control.attributes.get('type') ?? '').trim().toLowerCase()));
  if (filled.length !== 1) return false;
  const [query] = filled;
  const type = (query!.attributes.get('type') ?? '').trim().toLowerCase();
  return query!.element === 'input' && ['', 'text', 'search'].includes(type) && QUERY_FIELD.test(query!.attributes.get('name') ?? '');
}

/** A login has one password input, a registration two (the password and its repeat); a change of password adds the current one. */
const CHANGE_PASSWORD_INPUTS = 3;

function passwordInputs(form: TemplateForm): number {
  return form.controls.filter((control) => control.element === 'input' && (control.attributes.get('type') ?? '').trim().toLowerCase() === 'password').length;
}

/** An `<input type="password">`, or a field named for a password. */
function asksForPassword(form: TemplateForm, fields: readonly string[]): boolean {
  return form.controls.some((control) => (control.attributes.get('type') ?? '').trim().toLowerCase() === 'password') || fields.some((field) => PASSWORD_FIELD.test(field));
}

/** A captcha widget (by its class) or a captcha answer field in the form's body; a word in a comment or a class name is none. */
export function hasCaptcha(document: TemplateDocument, form: TemplateForm): boolean {
  if (CAPTCHA_WIDGET.test(document.source.markup.slice(form.bodyStart, form.bodyEnd))) return true;
  const renderedNames = bodyTags(document, form).flatMap((content) => content.replace(STRING_LITERAL, ' ').match(DOTTED_NAME) ?? []);
  return [...fieldNames(document, form), ...renderedNames].some((name) => CAPTCHA_FIELD.test(name));
}

/**
 * The names of the inputs of the form, and the fields its template expressions render of a form
 * object (`form.email` and `render_field(form.email)` give `email`); `{{ current_user.email }}`
 * is text, not a field.
 */
function fieldNames(document: TemplateDocument, form: TemplateForm): string[] {
  const written = form.controls.flatMap((control) => control.attributes.get('name') ?? []);
  // A translated label (`_('Mail password reset')`) names no field.
  const rendered = bodyTags(document, form).flatMap((content) => (content.replace(STRING_LITERAL, ' ').match(DOTTED_NAME) ?? []).flatMap(formFieldsOf));
  return [...written, ...rendered];
}

/** `form.email.label` gives `email` and `label`: the names after a form object's name. */
function formFieldsOf(dottedName: string): string[] {
  const names = dottedName.split('.').map((name) => name.trim());
  const formAt = names.findIndex((name) => FORM_OBJECT.test(name));
  return formAt === -1 ? [] : names.slice(formAt + 1);
}

function bodyTags(document: TemplateDocument, form: TemplateForm): string[] {
  return itemsBetween(document.source.tags, form.bodyStart, form.bodyEnd).map((tag) => tag.content);
}
