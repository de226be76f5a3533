from django.urls import include, path

app_name = "closeplans"
urlpatterns = [
    path("", include("tandem.closeplans.urls_plans")),
    path("", include("tandem.closeplans.urls_checkups")),
    path("", include("tandem.closeplans.urls_templates")),
]
