import djangoCsrfChecksBypassed from '../frameworks/django/rules/django-csrf-checks-bypassed.js';
import djangoCsrfExempt from '../frameworks/django/rules/django-csrf-exempt.js';
import djangoCsrfMiddlewareMissing from '../frameworks/django/rules/django-csrf-middleware-missing.js';
import drfCsrfEnforcementDisabled from '../frameworks/drf/rules/drf-csrf-enforcement-disabled.js';
import drfBasicAuthenticationFirst from '../frameworks/drf/rules/drf-basic-authentication-first.js';
import flaskCsrfExempt from '../frameworks/flask/rules/flask-csrf-exempt.js';
import flaskCsrfProtectMissing from '../frameworks/flask/rules/flask-csrf-protect-missing.js';
import flaskFormCsrfDisabled from '../frameworks/flask/rules/flask-form-csrf-disabled.js';
import flaskSeasurfCsrfDisabled from '../frameworks/flask/rules/flask-seasurf-csrf-disabled.js';
import flaskWtfCsrfDisabled from '../frameworks/flask/rules/flask-wtf-csrf-disabled.js';
import ninjaCsrfDisabled from '../frameworks/ninja/rules/ninja-csrf-disabled.js';
import pyramidCsrfDisabled from '../frameworks/pyramid/rules/pyramid-csrf-disabled.js';
import pyramidCsrfProtectionMissing from '../frameworks/pyramid/rules/pyramid-csrf-protection-missing.js';
import tornadoXsrfDisabled from '../frameworks/tornado/rules/tornado-xsrf-disabled.js';
import starletteCsrfProtectionMissing from '../frameworks/starlette/rules/starlette-csrf-protection-missing.js';
import litestarCsrfProtectionMissing from '../frameworks/litestar/rules/litestar-csrf-protection-missing.js';
import litestarCsrfExempt from '../frameworks/litestar/rules/litestar-csrf-exempt.js';
import aiohttpCsrfProtectionMissing from '../frameworks/aiohttp/rules/aiohttp-csrf-protection-missing.js';
import aiohttpCsrfExempt from '../frameworks/aiohttp/rules/aiohttp-csrf-exempt.js';
import quartCsrfProtectionMissing from '../frameworks/quart/rules/quart-csrf-protection-missing.js';
import templateFormMissingCsrfToken from './templates/template-form-missing-csrf-token.js';
import suppressionWithoutReason from './csrflint/suppression-without-reason.js';
import unusedSuppression from './csrflint/unused-suppression.js';
import type { Rule } from './rule.js';

/** Every rule, in code order. A rule is registered here and nowhere else. */
export const RULES: readonly Rule[] = [
  djangoCsrfMiddlewareMissing,
  djangoCsrfExempt,
  djangoCsrfChecksBypassed,
  drfCsrfEnforcementDisabled,
  ninjaCsrfDisabled,
  drfBasicAuthenticationFirst,
  flaskWtfCsrfDisabled,
  flaskCsrfProtectMissing,
  flaskCsrfExempt,
  flaskFormCsrfDisabled,
  flaskSeasurfCsrfDisabled,
  quartCsrfProtectionMissing,
  pyramidCsrfDisabled,
  pyramidCsrfProtectionMissing,
  tornadoXsrfDisabled,
  starletteCsrfProtectionMissing,
  litestarCsrfProtectionMissing,
  litestarCsrfExempt,
  aiohttpCsrfProtectionMissing,
  aiohttpCsrfExempt,
  templateFormMissingCsrfToken,
  unusedSuppression,
  suppressionWithoutReason,
];

export function findRule(idOrCode: string): Rule | undefined {
  const wanted = idOrCode.toLowerCase();
  return RULES.find((rule) => rule.id === wanted || rule.code.toLowerCase() === wanted);
}
