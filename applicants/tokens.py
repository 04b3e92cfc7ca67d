"""Signed, expiring links for confirming an e-mail address.

Django's password-reset generator signs a hash of the user's state with a timestamp. Adding
``is_active`` to that hash makes a confirmation link single-use: once the account is active
the old link no longer matches.
"""

from django.contrib.auth.tokens import PasswordResetTokenGenerator


class EmailVerificationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "applicants.tokens.EmailVerificationTokenGenerator"

    def _make_hash_value(self, user, timestamp: int) -> str:
        return f"{user.pk}{user.email}{user.is_active}{timestamp}"


email_verification_token = EmailVerificationTokenGenerator()
