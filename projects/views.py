from django.views.generic import TemplateView


class ProjectsIndexView(TemplateView):
    """How joint projects work in the cluster; funding calls and proposals come with their issue."""

    template_name = "projects/index.html"
