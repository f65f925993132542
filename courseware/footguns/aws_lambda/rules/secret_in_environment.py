from __future__ import annotations

import re
from collections.abc import Iterator

from courseware.footguns.aws_lambda.model import Application
from courseware.footguns.rule import Context, Hit, Rule

_SECRET_NAME = re.compile(r"(?i)(password|passwd|pwd|secret|token|api_?key|apikey|private_?key|credential|access_?key)")
# Names that hold a pointer to a secret rather than the secret itself.
_POINTER_NAME = re.compile(r"(?i)(_arn|_name|_id|_param|_parameter|_path|_ref|_url)$")
# Values that are credentials whatever the variable is called: AWS access keys, private keys, vendors' live API
# keys (Stripe-style sk_live_..., and the same shape from payment providers), GitHub, GitLab and Slack tokens,
# JSON Web Tokens. Bounded classes and lengths, no nested quantifiers.
_KNOWN_SECRET = re.compile(
    r"(?:AKIA|ASIA)[0-9A-Z]{16}|-----BEGIN [A-Z ]{0,40}PRIVATE KEY-----"
    r"|\b[a-z]{2,12}_(?:live|prod)_[A-Za-z0-9]{16,200}\b"
    r"|\bgh[pousr]_[A-Za-z0-9]{36,200}\b|\bglpat-[A-Za-z0-9_-]{20,200}|\bxox[abprs]-[A-Za-z0-9-]{10,200}"
    r"|\beyJ[A-Za-z0-9_-]{10,2000}\.eyJ[A-Za-z0-9_-]{10,4000}\."
)
# Values that fetch a secret at deploy time and store its plain text in the function's configuration:
# CloudFormation dynamic references, and Terraform reads of a secret's value (also kept in the state file).
_RESOLVED_SECRET = re.compile(
    r"^\{\{resolve:(secretsmanager|ssm-secure):"
    r"|data\.aws_secretsmanager_secret_version\.[A-Za-z0-9_-]{1,128}\.secret_string"
    r"|data\.aws_ssm_parameter\.[A-Za-z0-9_-]{1,128}\.(value|insecure_value)\b"
)
_NOT_SECRET_VALUES = frozenset({"", "true", "false", "yes", "no", "none", "null", "changeme"})
MAX_NAME = 256
MAX_VALUE = 4096


def _is_literal_secret(name: str, value: object) -> bool:
    if not isinstance(value, str) or len(value) > MAX_VALUE:
        return False
    if _KNOWN_SECRET.search(value):
        return True
    if len(name) > MAX_NAME or not _SECRET_NAME.search(name) or _POINTER_NAME.search(name):
        return False
    text = value.strip()
    if text.lower() in _NOT_SECRET_VALUES or text.isdigit():
        return False
    # references resolved elsewhere: Terraform/Serverless expressions, dynamic references, ARNs
    return not text.startswith(("${", "{{resolve:", "arn:", "/", "ssm:", "secretsmanager:"))


def _is_resolved_secret(value: object) -> bool:
    return isinstance(value, str) and len(value) <= MAX_VALUE and _RESOLVED_SECRET.search(value.strip()) is not None


def check(app: Application, context: Context) -> Iterator[Hit]:
    seen = set()
    for function in app.functions.values():
        for name, setting in function.environment.items():
            resolved = _is_resolved_secret(setting.value)
            if not resolved and not _is_literal_secret(str(name), setting.value):
                continue
            if (setting.file, setting.line, name) in seen:
                continue
            seen.add((setting.file, setting.line, name))
            if resolved:
                yield Hit(
                    file=setting.file,
                    line=setting.line,
                    resource=function.name,
                    message=(
                        f"Environment variable {name} of function {function.name} is filled from a secret "
                        "when the stack deploys: the secret is kept out of git, but its plain text is stored "
                        "in the function's configuration, where anyone allowed to read the function "
                        "(GetFunctionConfiguration, the console) sees it, and a rotation only reaches the "
                        "function on the next deploy."
                    ),
                    fix=(
                        "Put the secret's name or ARN in the environment instead, let the role read it, and "
                        "fetch and cache it in the function (for example with the Parameters and Secrets "
                        "Lambda extension or Powertools Parameters)."
                    ),
                )
                continue
            yield Hit(
                file=setting.file,
                line=setting.line,
                resource=function.name,
                message=(
                    f"Environment variable {name} of function {function.name} holds a literal "
                    "secret. Anyone who can read the function's configuration (console, API, "
                    "the template in git, Terraform state) can read it, it shows up in logs and "
                    "screenshots, and rotating it means a redeploy."
                ),
                fix=(
                    "Store the secret in Secrets Manager or SSM Parameter Store (SecureString), "
                    "put only its name or ARN in the environment, allow the role to read it, and "
                    "fetch and cache it when the function starts."
                ),
            )


RULE = Rule(
    id="aws-lambda/secret-in-environment",
    footgun="aws-lambda/secrets-in-environment-variables",
    severity="error",
    summary="A literal secret in a function's environment variables.",
    formats=("sam", "cloudformation", "terraform", "serverless"),
    check=check,
)
