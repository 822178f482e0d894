"""Who may see the quality pages (one source of truth for views and templates).

Auditors read every record and the audit trail; coordinators see the quality report and
its exports for the constellations they coordinate (the scope is limited by
`quality.selectors.allowed_constellation_ids`). Nobody changes a record here.
"""

import rules

from core.rules import is_auditor, is_coordinator


@rules.predicate
def owns_export(user, job):
    return job is not None and job.requested_by_id == user.pk


rules.add_perm("quality.view_report", is_auditor | is_coordinator)
rules.add_perm("quality.request_export", is_auditor | is_coordinator)
rules.add_perm("quality.download_export", (is_auditor | is_coordinator) & owns_export)
rules.add_perm("quality.browse_records", is_auditor)
rules.add_perm("quality.view_audit_trail", is_auditor)
rules.add_perm("quality.verify_audit_chain", is_auditor)
