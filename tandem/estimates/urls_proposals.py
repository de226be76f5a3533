"""URLs of proposals; included by estimates/urls.py."""

from django.urls import path

from tandem.estimates import views_proposals

urlpatterns: list = [
    path("estimates/<int:pk>/proposal/", views_proposals.proposal, name="proposal"),
    path("estimates/<int:pk>/proposal.pdf", views_proposals.proposal_pdf, name="proposal_pdf"),
]
