from django.contrib.admin.apps import AdminConfig


class ClusterAdminConfig(AdminConfig):
    default_site = "cluster_portal.admin_site.ClusterAdminSite"
