"""Who may use each route of the URL configuration: the audience table the access matrix
(test_access_matrix.py) checks every persona against. A new route without an entry fails it."""

from __future__ import annotations

ANONYMOUS = "anonymous"
PERSONAS = [
    ANONYMOUS,
    "owner",  # applicant A
    "colleague",  # colleague of A
    "outsider",  # applicant B
    "case_worker",  # of the programme
    "foreign_case_worker",  # of another programme
    "second_case_worker",
    "finance",
    "admin",
]
ALL = frozenset(PERSONAS)
USERS = ALL - {ANONYMOUS}
MEMBERS = frozenset({"owner", "colleague"})
OWNER = frozenset({"owner"})
CASE_WORKERS = frozenset({"case_worker", "second_case_worker"})
ANY_CASE_WORKER = CASE_WORKERS | {"foreign_case_worker"}
FINANCE = frozenset({"finance"})
ADMIN = frozenset({"admin"})
# Staff without admin rights see the admin's start page, which lists nothing for them.
STAFF = ANY_CASE_WORKER | FINANCE | ADMIN
NOBODY: frozenset[str] = frozenset()

# Who may use each route. Admin routes are covered by the rule in ``audience()``.
AUDIENCE: dict[str, frozenset[str]] = {
    "home": ALL,
    "accessibility": ALL,
    "privacy_notice": ALL,
    "imprint": ALL,
    "login": ALL,
    "logout": ALL,
    "set_language": ALL,
    "second_factor": USERS,
    "second_factor_enrol": USERS,
    "second_factor_codes": USERS,
    # Passkeys are a staff factor; the one to remove is the case worker's own.
    "second_factor_security": STAFF,
    "passkey_remove": frozenset({"case_worker"}),
    "otp_webauthn:credential-registration-begin": STAFF,
    "otp_webauthn:credential-registration-complete": STAFF,
    "otp_webauthn:credential-authentication-begin": STAFF,
    "otp_webauthn:credential-authentication-complete": STAFF,
    # The translations of the library's script.
    "otp_webauthn:js-i18n-catalog": ALL,
    "admin_login": STAFF,
    # Mounted for the configured provider only; the tests configure none.
    "mail_webhook": NOBODY,
    "notifications:preferences": USERS,
    "applicants:register": ALL,
    "applicants:register_done": ALL,
    "applicants:verify": ALL,
    "applicants:resend": ALL,
    "applicants:password_reset": ALL,
    "applicants:password_reset_done": ALL,
    "applicants:password_reset_confirm": ALL,
    "applicants:password_reset_complete": ALL,
    "applicants:invitation": ALL,
    "applicants:account": USERS,
    "applicants:password_change": USERS,
    # Everyone with an account may take their data with them or ask to delete the account.
    "applicants:account_export": USERS,
    "applicants:account_delete": USERS,
    "applicants:profile": USERS,
    "applicants:applicant_create": USERS - STAFF,
    "applicants:applicant": MEMBERS,
    "applicants:applicant_edit": OWNER,
    "applicants:document_add": MEMBERS,
    "applicants:document": MEMBERS,
    # A colleague may delete what they uploaded; this document is the owner's.
    "applicants:document_delete": OWNER,
    "applicants:invite": OWNER,
    "applicants:invitation_cancel": OWNER,
    "applicants:member_remove": MEMBERS,
    "portal:programmes": ALL,
    "portal:easy_language": ALL,
    "portal:eligibility": ALL,
    "portal:dashboard": USERS,
    # Staff are sent on to create a profile, which refuses them.
    "portal:start": USERS,
    **{
        f"portal:{name}": MEMBERS
        for name in [
            "detail",
            "project",
            "classification",
            "plan",
            "plan_summary",
            "attachments",
            "attachment_delete",
            "letter",
            "check",
            "receipt",
            "answers",
            "submission_pdf",
            "project_autosave",
            "classification_autosave",
            "plan_autosave",
            "proof_autosave",
            "withdraw",
            "waive",
            "payout",
            "change_request",
            "early_start",
            "proof",
            "proof_receipt_add",
            "proof_receipt_delete",
            "proof_income_add",
            "proof_income_delete",
            "proof_attachment_add",
            "messages",
            "request_item_answer",
        ]
    },
    # Every file of a case (grants/views/documents.py): the applicant's members and every staff
    # role of the programme; the attachment's older address is the same view.
    "portal:document": MEMBERS | CASE_WORKERS | FINANCE,
    "portal:attachment": MEMBERS | CASE_WORKERS | FINANCE,
    "casework:start": ANY_CASE_WORKER,
    "casework:queue": ANY_CASE_WORKER,
    "casework:filter_save": ANY_CASE_WORKER,
    # The saved filter is the case worker's own; anyone else's is a 404.
    "casework:filter_delete": frozenset({"case_worker"}),
    "casework:meetings": ANY_CASE_WORKER,
    "casework:templates": ANY_CASE_WORKER,
    **{
        f"casework:{name}": CASE_WORKERS
        for name in [
            "file",
            "answers",
            "submission_pdf",
            "assign_me",
            "note",
            "budget",
            "receipts_xlsx",
            "messages",
            "letter",
            "letters",
            "step",
            "payout",
            "repayment",
            "interest",
            "meeting",
            "meeting_pdf",
            "meeting_step",
            "template",
        ]
    },
    **{
        f"reporting:{name}": FINANCE
        for name in [
            "overview",
            "payouts",
            "payouts_export",
            "payout_paid",
            "batches",
            "batch",
            "batch_download",
            "batch_reexport",
            "batch_paid",
            "reports",
            "report_download",
            "run",
            "run_download",
        ]
    },
}
# Admin pages a staff member without admin rights reaches: an empty start page, their own
# password, the admin's translations, and the login that sends them on.
ADMIN_FOR_STAFF = {
    "admin:index",
    "admin:login",
    "admin:password_change",
    "admin:password_change_done",
    "admin:jsi18n",
}
# Outcomes that also count as allowed on these routes: a confirmed address goes on to the
# login, accepting an invitation needs one; a meeting step posted without an agenda item
# has nothing to act on (404).
ALSO_ALLOWED = {
    "applicants:verify": {"login"},
    "applicants:invitation": {"login"},
    "casework:meeting_step": {"denied"},
}


def audience(name: str) -> frozenset[str]:
    if name == "admin:logout":
        return ALL
    if name == "admin:catch_all":
        return NOBODY  # /admin/<anything unknown>/ is a 404 for everyone
    if name in AUDIENCE:
        return AUDIENCE[name]
    if name.startswith("admin:"):
        return STAFF if name in ADMIN_FOR_STAFF else ADMIN
    raise KeyError(name)
