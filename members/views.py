from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView

from .selectors import organisation_detail_public, organisation_list_public


class DirectoryView(ListView):
    template_name = "members/directory.html"
    context_object_name = "organisations"
    paginate_by = 24

    def get_queryset(self):
        return organisation_list_public().order_by("name")


class OrganisationDetailView(DetailView):
    template_name = "members/organisation_detail.html"
    context_object_name = "organisation"

    def get_object(self, queryset=None):
        return get_object_or_404(organisation_detail_public(slug=self.kwargs["slug"]))
