from django.urls import path

from tandem.closeplans import views_checkups as views
from tandem.closeplans import views_hygiene

urlpatterns = [
    path("pipeline/hygiene/", views_hygiene.hygiene, name="hygiene"),
    path("checkups/", views.checkups, name="checkups"),
    path("checkups/steps/<int:pk>/done/", views.checkup_done, name="checkup_done"),
    path("checkups/steps/<int:pk>/blocked/", views.checkup_blocked, name="checkup_blocked"),
    path("checkups/steps/<int:pk>/note/", views.checkup_note, name="checkup_note"),
]
