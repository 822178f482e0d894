"""Every write of the certificates app, by entity: issuing, milestones and the meta badge,
re-signing, revocation and the status list, holders' choices, issuers and their keys."""

from .errors import IssuingNotPossible
from .holders import credential_set_show_name
from .issuers import issuer_keys_create, issuer_keys_rotate, issuer_save
from .issuing import credential_issue_for_application, issue_pending_credentials
from .milestones import credentials_check_rules, rule_progress
from .notifications import (
    credential_expiry_reminder_send,
    credential_revoked_mail_send,
    credentials_mark_stale_pdfs,
    credentials_remind_expiring,
)
from .resigning import SIGNED_FILES, credential_resign, resign_reasons
from .revocation import credential_revoke
from .status_lists import status_list_refresh

__all__ = [
    "SIGNED_FILES",
    "IssuingNotPossible",
    "credential_expiry_reminder_send",
    "credential_issue_for_application",
    "credential_resign",
    "credential_revoke",
    "credential_revoked_mail_send",
    "credential_set_show_name",
    "credentials_check_rules",
    "credentials_mark_stale_pdfs",
    "credentials_remind_expiring",
    "issue_pending_credentials",
    "issuer_keys_create",
    "issuer_keys_rotate",
    "issuer_save",
    "resign_reasons",
    "rule_progress",
    "status_list_refresh",
]
