import djangoCsrfChecksBypassed from './django/django-csrf-checks-bypassed.js';
import djangoCsrfExempt from './django/django-csrf-exempt.js';
import djangoCsrfMiddlewareMissing from './django/django-csrf-middleware-missing.js';
import drfCsrfEnforcementDisabled from './drf/drf-csrf-enforcement-disabled.js';
import flaskCsrfExempt from './flask/flask-csrf-exempt.js';
import flaskCsrfProtectMissing from './flask/flask-csrf-protect-missing.js';
import flaskFormCsrfDisabled from './flask/flask-form-csrf-disabled.js';
import flaskSeasurfCsrfDisabled from './flask/flask-seasurf-csrf-disabled.js';
import flaskWtfCsrfDisabled from './flask/flask-wtf-csrf-disabled.js';
import ninjaCsrfDisabled from './ninja/ninja-csrf-disabled.js';
import pyramidCsrfDisabled from './pyramid/pyramid-csrf-disabled.js';
import pyramidCsrfProtectionMissing from './pyramid/pyramid-csrf-protection-missing.js';
import tornadoXsrfDisabled from './tornado/tornado-xsrf-disabled.js';
import starletteCsrfProtectionMissing from './starlette/starlette-csrf-protection-missing.js';
import litestarCsrfProtectionMissing from './litestar/litestar-csrf-protection-missing.js';
import litestarCsrfExempt from './litestar/litestar-csrf-exempt.js';
import aiohttpCsrfProtectionMissing from './aiohttp/aiohttp-csrf-protection-missing.js';
import aiohttpCsrfExempt from './aiohttp/aiohttp-csrf-exempt.js';
import quartCsrfProtectionMissing from './quart/quart-csrf-protection-missing.js';
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
