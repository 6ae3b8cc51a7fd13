from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from ..calendar import (
    personal_calendar_ics,
    personal_calendar_path,
    personal_calendar_reset,
    read_personal_calendar_token,
)


class MyCalendarView(LoginRequiredMixin, View):
    """The address of the person's own calendar feed, and a button to change it."""

    def get(self, request):
        url = request.build_absolute_uri(personal_calendar_path(request.user))
        return render(
            request,
            "pages/my_calendar.html",
            {"feed_url": url, "webcal_url": "webcal://" + url.split("://", 1)[1]},
        )

    def post(self, request):
        personal_calendar_reset(user=request.user)
        messages.success(
            request,
            _(
                "Your calendar has a new address. The old one no longer works: subscribe "
                "again with the new one."
            ),
        )
        return redirect("pages:my_calendar")


class PersonalCalendarFeedView(View):
    """The feed itself, for calendar applications: no login, the address is the key."""

    def get(self, request, token):
        user = read_personal_calendar_token(token)
        if user is None:
            raise Http404
        response = HttpResponse(
            personal_calendar_ics(user, name=_("My cluster events")),
            content_type="text/calendar; charset=utf-8",
        )
        response["Content-Disposition"] = 'inline; filename="my-events.ics"'
        # Personal: no shared cache may keep it.
        response["Cache-Control"] = "private, max-age=300"
        return response
