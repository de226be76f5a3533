"""The customer's proposal for a scenario: a page to print or send, and the same as a PDF.

Anyone who may see the scenario may open its proposal: sellers send it to the customer. It
shows prices only, whoever opens it (see proposals.build_proposal).
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_GET

from tandem.estimates.access import get_estimate_for_user
from tandem.estimates.proposals import render as proposals

TEMPLATE = "estimates/proposal.html"


def _context(estimate, version, *, for_pdf: bool) -> dict:
    return {
        "estimate": estimate,
        "proposal": proposals.build_proposal(estimate, version, today=timezone.localdate()),
        "brand": proposals.branding(),
        "for_pdf": for_pdf,
    }


def _nothing_yet(request: HttpRequest, estimate) -> HttpResponse:
    return render(request, "estimates/proposal_empty.html", {"estimate": estimate}, status=404)


@require_GET
def proposal(request: HttpRequest, pk: int) -> HttpResponse:
    estimate = get_estimate_for_user(request.user, pk)
    version = proposals.proposal_version(estimate, request.GET.get("version"))
    if version is None:
        return _nothing_yet(request, estimate)
    return render(request, TEMPLATE, _context(estimate, version, for_pdf=False))


@require_GET
def proposal_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    estimate = get_estimate_for_user(request.user, pk)
    version = proposals.proposal_version(estimate, request.GET.get("version"))
    if version is None:
        return _nothing_yet(request, estimate)
    context = _context(estimate, version, for_pdf=True)
    html = render_to_string(TEMPLATE, context, request=request)
    response = HttpResponse(proposals.render_pdf(html), content_type="application/pdf")
    filename = proposals.pdf_filename(context["proposal"])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
