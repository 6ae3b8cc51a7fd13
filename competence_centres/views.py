from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView

from .selectors import centre_detail_public, centre_list_public


class CentreListView(ListView):
    template_name = "competence_centres/centre_list.html"
    context_object_name = "centres"

    def get_queryset(self):
        return centre_list_public()


class CentreDetailView(DetailView):
    template_name = "competence_centres/centre_detail.html"
    context_object_name = "centre"

    def get_object(self, queryset=None):
        return get_object_or_404(centre_detail_public(slug=self.kwargs["slug"]))
