"""What the home page remembers of a person: when they last marked it as seen.

"New since" on the home page (a learner's feedback, an auditor's changes) counts from this
moment. It moves only when the person says so (a POST from the home page): a GET never
writes, and a mark that moved on every page view would hide what arrived while the page was
open.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SeenMark(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="home_seen_mark",
    )
    seen_at = models.DateTimeField(_("marked as seen"))

    class Meta:
        verbose_name = _("home page seen mark")
        verbose_name_plural = _("home page seen marks")

    def __str__(self):
        return f"{self.user_id}: {self.seen_at:%Y-%m-%d %H:%M}"
