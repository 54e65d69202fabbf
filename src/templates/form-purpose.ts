import { itemsBetween } from './csrf-token.js';
import type { TemplateForm } from './forms.js';
import type { TemplateDocument } from './template-document.js';

/** `password`, `password1`, `passwd`, `pwd`, `new_password`: a field that takes a password. */
const PASSWORD_FIELD = /pass(?:word|wd)?\d*$|^pwd\d*$/i;

/** `username`, `login`, `email`, `user_id`: the field that names the account a password opens. */
const ACCOUNT_FIELD = /^(?:user(?:_?name|_?id)?|login|e?-?mail(?:_?address)?|account|identifier|identity)$/i;

/** `old_password`, `current_password`, `oldpassword`: the user already logged in proves who they are. */
const CURRENT_PASSWORD_FIELD = /(?:old|current|existing)_?pass/i;

/** View names of logins and registrations: `auth.login`, `accounts:signup`, `register_user`. */
const SIGN_IN_VIEW = /log_?in|sign_?in|sign_?up|regist/i;

/** `/auth/forgot/`, `accounts:password_reset`, `lost_password`, `admin.mail_recovery_token`. */
const PASSWORD_RESET_TARGET = /forgot|lost_?pass|pass(?:word)?_?reset|reset_?pass|recover/i;

/** Widgets of reCAPTCHA, hCaptcha and Turnstile, their response fields, and WTForms' `RecaptchaField`. */
const CAPTCHA = /captcha|cf-turnstile/i;

const IDENTIFIER = /[A-Za-z_][\w-]*/g;

const STRING_LITERAL = /"[^"]*"|'[^']*'/g;

/**
 * A login or registration form: a password and the name of the account it opens (a username or an
 * email), or a password posted to a view named for signing in or up, and no current password of a
 * user already logged in (a change-password form acts for that user). Fields count as written
 * (`<input name="email">`, `type="password"`) or as rendered (`{{ form.password }}`).
 */
export function signsIn(document: TemplateDocument, form: TemplateForm, view: string | undefined): boolean {
  const fields = fieldNames(document, form);
  if (!asksForPassword(form, fields)) return false;
  if (fields.some((field) => CURRENT_PASSWORD_FIELD.test(field))) return false;
  return fields.some((field) => ACCOUNT_FIELD.test(field)) || (view !== undefined && SIGN_IN_VIEW.test(view));
}

/**
 * A password-reset request: the name of an account (an email or a username) and no password, posted
 * to a view or URL named for a forgotten password (`/auth/forgot/`, `password_reset`,
 * `mail_recovery_token`). A forged post mails a reset link to the account's own address.
 */
export function requestsPasswordReset(document: TemplateDocument, form: TemplateForm, view: string | undefined): boolean {
  if (!PASSWORD_RESET_TARGET.test(view ?? form.action ?? '')) return false;
  const fields = fieldNames(document, form);
  return !asksForPassword(form, fields) && fields.some((field) => ACCOUNT_FIELD.test(field));
}

/** An `<input type="password">`, or a field named for a password. */
function asksForPassword(form: TemplateForm, fields: readonly string[]): boolean {
  return form.controls.some((control) => (control.attributes.get('type') ?? '').trim().toLowerCase() === 'password') || fields.some((field) => PASSWORD_FIELD.test(field));
}

/** A captcha widget or its answer field in the form's body. */
export function hasCaptcha(document: TemplateDocument, form: TemplateForm): boolean {
  return CAPTCHA.test(document.source.markup.slice(form.bodyStart, form.bodyEnd)) || bodyTags(document, form).some((content) => CAPTCHA.test(content));
}

/** The names of the inputs of the form, and the names its template expressions render (`form.email` gives `form` and `email`). */
function fieldNames(document: TemplateDocument, form: TemplateForm): string[] {
  const written = form.controls.flatMap((control) => control.attributes.get('name') ?? []);
  // A translated label (`_('Mail password reset')`) names no field.
  const rendered = bodyTags(document, form).flatMap((content) => content.replace(STRING_LITERAL, ' ').match(IDENTIFIER) ?? []);
  return [...written, ...rendered];
}

function bodyTags(document: TemplateDocument, form: TemplateForm): string[] {
  return itemsBetween(document.source.tags, form.bodyStart, form.bodyEnd).map((tag) => tag.content);
}
