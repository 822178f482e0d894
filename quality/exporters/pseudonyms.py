"""Pseudonymised learners: a stable keyed code instead of the person, also in free text."""

import hashlib
import hmac
import re

from django.conf import settings


def pseudonym(user_id: int) -> str:
    """A stable, keyed stand-in for a learner: the same person always gets the same code,
    nobody without the secret key can recover the person from it."""
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"learner:{user_id}".encode(), hashlib.sha256
    ).hexdigest()
    return f"L-{digest[:8]}"


def learner_identity(user, pseudonymise: bool) -> tuple[str, str]:
    """The learner's (name, email) in an export: their pseudonym and no email, when
    pseudonymising."""
    if pseudonymise:
        return pseudonym(user.pk), ""
    return user.display_name, user.email


def scrub(text: str, user, pseudonymise: bool) -> str:
    """Free text (feedback, reasons, evidence descriptions) with the learner's email, full
    name and each part of the name replaced by their pseudonym, when pseudonymising."""
    if not pseudonymise or not text:
        return text
    terms: set[str] | list[str] = {user.email, user.display_name, *user.display_name.split()}
    terms = sorted((t for t in terms if len(t) > 1), key=len, reverse=True)
    if not terms:
        return text
    # Whole words, "_" counting as a separator (as in file names: CV_First_Last.pdf).
    pattern = r"(?<![^\W_])(?:" + "|".join(re.escape(t) for t in terms) + r")(?![^\W_])"
    return re.sub(pattern, pseudonym(user.pk), text, flags=re.IGNORECASE)
