"""``{% application_mails application %}``: the mails of an application for its timeline.

Load with ``{% load notifications_tags %}``; pass ``applicant_view=True`` on pages the
applicant sees, so that mails to staff stay internal.
"""

from django import template

from grants.models import Application
from notifications.selectors import messages_for_application

register = template.Library()


@register.inclusion_tag("notifications/includes/application_mails.html")
def application_mails(application: Application, applicant_view: bool = False) -> dict:
    return {
        "mails": list(messages_for_application(application, applicant_view=applicant_view)),
        "applicant_view": applicant_view,
    }
