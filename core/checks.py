"""System checks for the deployment (`manage.py check --deploy`)."""

from django.conf import settings
from django.core.checks import Tags, register
from django.core.checks import Warning as CheckWarning

TRUSTED_PROXY_COUNT_UNSET = "core.W001"
AUDIT_CHECKPOINT_KEY_UNSET = "core.W101"


@register(Tags.security, deploy=True)
def trusted_proxy_count_stated(app_configs=None, **kwargs):
    """Sign-in throttling counts failures per client address, and the address depends on
    how many proxies are believed. Neither choice is safe to assume: believing a proxy that
    is not there lets every client pick its address in X-Forwarded-For and dodge the lockout;
    ignoring one that is there makes everyone share the proxy's address."""
    if getattr(settings, "TRUSTED_PROXY_COUNT", None) is not None:
        return []
    return [
        CheckWarning(
            "TRUSTED_PROXY_COUNT is not set, so no proxy is believed: sign-in throttling "
            "counts failures per connecting address and ignores X-Forwarded-For.",
            hint=(
                "Set TRUSTED_PROXY_COUNT in the environment to the number of reverse proxies "
                "in front of the site that append the client's address to X-Forwarded-For: "
                "1 for one nginx, Caddy or load balancer; 0 when clients connect directly. "
                "A number higher than the real one lets clients choose their address and "
                "dodge the lockout; a lower one makes everyone behind the proxy share one "
                "address."
            ),
            id=TRUSTED_PROXY_COUNT_UNSET,
        )
    ]


@register(Tags.security, deploy=True)
def audit_checkpoint_key_stated(app_configs=None, **kwargs):
    """Audit checkpoints (core.checkpoints) need a signing key kept outside the database."""
    if getattr(settings, "AUDIT_CHECKPOINT_KEY_FILE", ""):
        return []
    return [
        CheckWarning(
            "AUDIT_CHECKPOINT_KEY_FILE is not set: no signed audit checkpoints are written, so "
            "deleting the newest audit events or re-chaining a rewritten one would go unnoticed.",
            hint=(
                "Create a key with `manage.py audit_checkpoint --create-key` on the task "
                "workers (keep it out of the database and its backups) and set "
                "AUDIT_CHECKPOINT_KEY_FILE to its path."
            ),
            id=AUDIT_CHECKPOINT_KEY_UNSET,
        )
    ]
