from django import forms
from django.contrib import admin, messages
from django.db import models, transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from cluster_portal.core.audit import audit_record
from cluster_portal.core.csv_export import csv_response
from cluster_portal.core.enums import AuditAction
from cluster_portal.core.errors import DomainError
from cluster_portal.core.images import ACCEPT, process_image

from . import selectors
from .enums import RegistrationStatus
from .models import Event, Registration
from .services import (
    event_publish,
    event_save_by_coordinator,
    registration_cancel,
    registration_check_in,
    registration_create_by_coordinator,
    registration_move_to_front,
    registration_promote,
)

EVENT_THUMBNAIL_SIZE = (640, 360)


class EventAdminForm(forms.ModelForm):
    """The event, with its image processed as a logo is: a file reaches storage only
    re-encoded by core/images.py (no metadata, no trailing bytes, a name of our choosing)."""

    image_upload = forms.FileField(
        label=_("Image"),
        required=False,
        help_text=_("PNG, JPEG or WebP, up to 5 MB and 4000×4000 pixels."),
        widget=forms.FileInput(attrs={"accept": ACCEPT}),
    )

    class Meta:
        model = Event
        fields: list[str] = []  # the admin's fieldsets choose them

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.processed_image = None

    def clean_image_upload(self):
        upload = self.cleaned_data.get("image_upload")
        if upload:
            self.processed_image = process_image(upload, thumbnail_size=EVENT_THUMBNAIL_SIZE)
        return upload


def _registrations_url(event, **filters) -> str:
    query = "&".join(
        f"{key}={value}" for key, value in {"event__id__exact": event.pk, **filters}.items()
    )
    return f"{reverse('admin:events_registration_changelist')}?{query}"


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    form = EventAdminForm
    list_display = [
        "title_pl",
        "kind",
        "starts_at",
        "city",
        "audience",
        "is_published",
        "seats",
        "waiting",
    ]
    list_filter = ["is_published", "kind", "audience", "centres"]
    search_fields = ["title_pl", "title_en", "venue", "city"]
    date_hierarchy = "starts_at"
    autocomplete_fields = ["organiser"]
    # Publishing announces the event to its audience: it goes through the service (the
    # action below), never through a checkbox.
    readonly_fields = ["is_published", "current_image", "registrations", "sequence"]
    actions = ["publish"]
    prepopulated_fields = {"slug": ["title_pl"]}
    formfield_overrides = {
        models.URLField: {"assume_scheme": "https"},
        # Seven centres fit in a list of checkboxes; the two-box filter widget would be more
        # to operate, and its search icons carry ARIA that screen readers cannot use.
        models.ManyToManyField: {"widget": forms.CheckboxSelectMultiple},
    }
    fieldsets = [
        (None, {"fields": ["kind", "slug", "audience", "is_published", "centres", "organiser"]}),
        (_("Polish"), {"fields": ["title_pl", "summary_pl", "description_pl"]}),
        (_("English"), {"fields": ["title_en", "summary_en", "description_en"]}),
        (_("Image"), {"fields": ["current_image", "image_upload"]}),
        (
            _("When and where"),
            {"fields": ["starts_at", "ends_at", "venue", "address", "city", "online_url"]},
        ),
        (
            _("Registration"),
            {
                "fields": [
                    "capacity",
                    "registration_opens_at",
                    "registration_closes_at",
                    "registrations",
                    "sequence",
                ]
            },
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).with_seat_counts()

    @admin.display(description=_("seats taken"), ordering="confirmed_count")
    def seats(self, event):
        taken = event.confirmed_count
        text = f"{taken} / {event.capacity}" if event.capacity is not None else str(taken)
        return format_html(
            '<a href="{}">{}</a>',
            _registrations_url(event, status__exact=RegistrationStatus.CONFIRMED),
            text,
        )

    @admin.display(description=_("waiting list"), ordering="waitlisted_count")
    def waiting(self, event):
        return format_html(
            '<a href="{}">{}</a>',
            _registrations_url(event, status__exact=RegistrationStatus.WAITLISTED),
            event.waitlisted_count,
        )

    @admin.display(description=_("registrations"))
    def registrations(self, event):
        if not event.pk:
            return "—"
        counts = selectors.registration_status_counts(event.registrations.all())
        return format_html(
            '<a href="{}">{}</a>',
            _registrations_url(event),
            gettext(
                "%(confirmed)d confirmed, %(waitlisted)d waiting, %(cancelled)d cancelled, "
                "%(attended)d checked in"
            )
            % counts,
        )

    @admin.display(description=_("current image"))
    def current_image(self, event):
        if not event.image_thumbnail:
            return "—"
        return format_html(
            '<img src="{}" alt="{}" width="160">',
            event.image_thumbnail.url,
            _("Image of %(title)s") % {"title": event.title},
        )

    def save_model(self, request, obj, form, change):
        event_save_by_coordinator(actor=request.user, event=obj, image=form.processed_image)

    @admin.action(description=_("Publish and announce the selected events"), permissions=["change"])
    def publish(self, request, queryset):
        announced = published = 0
        for event in queryset:
            if event.is_published:
                continue
            announced += event_publish(event=event, actor=request.user)
            published += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d event published; %(people)d people notified.",
                "%(count)d events published; %(people)d people notified.",
                published,
            )
            % {"count": published, "people": announced},
            messages.SUCCESS if published else messages.WARNING,
        )


class AttendedFilter(admin.SimpleListFilter):
    title = _("attendance")
    parameter_name = "attended"

    def lookups(self, request, model_admin):
        return [("yes", _("Checked in")), ("no", _("Not checked in"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(attended_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(attended_at__isnull=True)
        return queryset


class RegistrationAdminForm(forms.ModelForm):
    """Registering someone by hand: the event, the person, whom they represent. A seat even
    when the event is full (recorded as above capacity)."""

    class Meta:
        model = Registration
        fields = ["event", "user", "organisation"]

    def clean(self):
        cleaned = super().clean()
        event, user = cleaned.get("event"), cleaned.get("user")
        if event and not event.is_published:
            self.add_error("event", _("Publish the event first."))
        if event and user and selectors.registration_active_for(user=user, event=event):
            self.add_error("user", _("This person already has a seat or a place in line."))
        return cleaned


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    form = RegistrationAdminForm
    list_display = [
        "user",
        "organisation",
        "event",
        "status",
        "attended",
        "over_capacity",
        "created_at",
    ]
    list_filter = [
        "status",
        AttendedFilter,
        "over_capacity",
        ("event", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = [
        "user__email",
        "user__full_name",
        "organisation__name",
        "event__title_pl",
        "event__title_en",
    ]
    list_select_related = ["user", "organisation", "event"]
    autocomplete_fields = ["event", "user", "organisation"]
    date_hierarchy = "created_at"
    actions = ["export_csv", "check_in", "promote", "move_to_front", "cancel"]
    # Every change goes through the services (locks, the waiting list, mails). The rows are
    # the history: the Coordinators group may not delete them (superusers may, as with
    # any row), so nor an event people registered for.
    readonly_fields = [
        "event",
        "user",
        "organisation",
        "status",
        "queued_at",
        "over_capacity",
        "registered_by",
        "created_at",
        "confirmed_at",
        "cancelled_at",
        "attended_at",
        "checked_in_by",
    ]

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else []

    def get_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else ["event", "user", "organisation"]

    @admin.display(description=_("attended"), boolean=True, ordering="attended_at")
    def attended(self, registration):
        return registration.attended

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context=extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None:
            counts = selectors.registration_status_counts(changelist.queryset)
            response.context_data["status_counts"] = [
                (label, counts[value]) for value, label in RegistrationStatus.choices
            ] + [(gettext("Checked in"), counts["attended"])]
        return response

    def add_view(self, request, form_url="", extra_context=None):
        try:
            return super().add_view(request, form_url, extra_context)
        except DomainError:
            pass
        # Someone registered them a moment ago (the same form sent twice, say): the form,
        # sent again, now sees it and says so, as it does to a form sent later.
        try:
            return super().add_view(request, form_url, extra_context)
        except DomainError as error:
            self.message_user(request, str(error), messages.ERROR)
            return redirect(request.get_full_path())

    def save_model(self, request, obj, form, change):
        if change:
            return  # nothing is edited here; the actions change registrations
        created = registration_create_by_coordinator(
            event=obj.event, user=obj.user, organisation=obj.organisation, actor=request.user
        )
        obj.pk = created.pk
        obj.refresh_from_db()
        if created.over_capacity:
            self.message_user(
                request,
                gettext("The event was full: %(person)s has a seat above its capacity.")
                % {"person": created.user},
                messages.WARNING,
            )

    def _each(self, request, queryset, act, done_text, *, decision: str):
        done = 0
        for registration in queryset.select_related("event", "user"):
            try:
                # The decision and its audit entry commit together, or neither does.
                with transaction.atomic():
                    act(registration)
                    audit_record(
                        actor=request.user,
                        action=AuditAction.DECISION,
                        target=registration,
                        detail=decision,
                    )
            except DomainError as error:
                self.message_user(request, str(error), messages.ERROR)
                continue
            done += 1
        if done:
            self.message_user(request, done_text(done), messages.SUCCESS)

    @admin.action(description=_("Export the selected registrations as CSV"), permissions=["view"])
    def export_csv(self, request, queryset):
        audit_record(
            actor=request.user,
            action=AuditAction.ADMIN_EXPORT,
            target=queryset.model,
            detail=f"csv: {queryset.count()} rows",
        )
        return csv_response(
            filename="attendees",
            header=[
                gettext("Event"),
                gettext("Name"),
                gettext("E-mail"),
                gettext("Organisation"),
                gettext("Status"),
                gettext("Attended"),
            ],
            rows=(
                [
                    registration.event.title,
                    registration.user.full_name,
                    registration.user.email,
                    registration.organisation.name if registration.organisation else "",
                    registration.get_status_display(),
                    gettext("yes") if registration.attended else gettext("no"),
                ]
                for registration in selectors.registration_list_for_export(queryset)
            ),
        )

    @admin.action(description=_("Mark the selected people as attended"), permissions=["change"])
    def check_in(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda registration: registration_check_in(
                registration=registration, actor=request.user
            ),
            lambda done: (
                ngettext(
                    "%(count)d person marked as attended.",
                    "%(count)d people marked as attended.",
                    done,
                )
                % {"count": done}
            ),
            decision="check in",
        )

    @admin.action(
        description=_("Give the selected people on the waiting list a seat, even above capacity"),
        permissions=["change"],
    )
    def promote(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda registration: registration_promote(
                registration=registration, actor=request.user
            ),
            lambda done: (
                ngettext("%(count)d person got a seat.", "%(count)d people got a seat.", done)
                % {"count": done}
            ),
            decision="seat above capacity",
        )

    @admin.action(
        description=_("Move the selected people to the front of the waiting list"),
        permissions=["change"],
    )
    def move_to_front(self, request, queryset):
        # The last one moved ends up first: move them in reverse order of the list.
        ordered = queryset.order_by("-queued_at", "-pk")
        self._each(
            request,
            ordered,
            lambda registration: registration_move_to_front(
                registration=registration, actor=request.user
            ),
            lambda done: (
                ngettext(
                    "%(count)d person moved to the front of the waiting list.",
                    "%(count)d people moved to the front of the waiting list.",
                    done,
                )
                % {"count": done}
            ),
            decision="move to the front",
        )

    @admin.action(description=_("Cancel the selected registrations"), permissions=["change"])
    def cancel(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda registration: registration_cancel(registration=registration, actor=request.user),
            lambda done: (
                ngettext(
                    "%(count)d registration cancelled.", "%(count)d registrations cancelled.", done
                )
                % {"count": done}
            ),
            decision="cancel",
        )
