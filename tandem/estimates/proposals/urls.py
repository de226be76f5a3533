"""URLs of proposals; included by estimates/urls.py."""

from django.urls import path

from tandem.estimates.proposals import views

urlpatterns: list = [
    path("estimates/<int:pk>/proposal/", views.proposal, name="proposal"),
    path("estimates/<int:pk>/proposal.pdf", views.proposal_pdf, name="proposal_pdf"),
]
