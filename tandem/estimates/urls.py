from tandem.estimates.actuals import urls as actuals
from tandem.estimates.proposals import urls as proposals
from tandem.estimates.requests import urls as requests
from tandem.estimates.scenarios import urls as scenarios

app_name = "estimates"
urlpatterns = (
    requests.urlpatterns + scenarios.urlpatterns + proposals.urlpatterns + actuals.urlpatterns
)
