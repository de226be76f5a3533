from tandem.estimates import (
    urls_estimates,
    urls_history,
    urls_proposals,
    urls_requests,
)

app_name = "estimates"
urlpatterns = (
    urls_requests.urlpatterns
    + urls_estimates.urlpatterns
    + urls_proposals.urlpatterns
    + urls_history.urlpatterns
)
