from django.urls import path

from tandem.closeplans import views_customer as views

app_name = "shared"
urlpatterns = [
    path("<str:token>/", views.plan, name="plan"),
    path("<str:token>/name/", views.set_name, name="name"),
    path("<str:token>/steps/<int:step_id>/mark/", views.step_mark, name="step_mark"),
    path("<str:token>/steps/<int:step_id>/comment/", views.step_comment, name="step_comment"),
]
