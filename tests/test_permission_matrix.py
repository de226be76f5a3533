"""The permission matrix: the status every persona gets from every URL and API endpoint.

PAGES and API hold, for each URL name and method, one status per persona (the columns of
PERSONAS). The names come from the URL resolver and the API router, so a new URL fails here
until its row says who may open it, and a row whose URL is gone fails too. A page method left
out of PAGES must answer 405, so a view that starts taking POSTs needs a row as well.

A POST, PATCH or DELETE carries no data: it shows who gets past the permission check (a 400,
422 or a form shown again with its errors means "let in, the data refused"), not what the view
then does. Each request runs in a savepoint that is rolled back, so one request's writes
(a rate deleted, a link revoked, a sign-out) are gone before the next.

No request may answer a server error, whoever sends it and whatever the table says.

A status that looks like a hole is closed in the app, not written down here.
"""

import copy
import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone
from rest_framework.test import APIClient

from tandem.catalog import services as catalog_services
from tandem.catalog.tests.factories import CatalogItemFactory, SupplierFactory
from tandem.closeplans.models import Side
from tandem.closeplans.services import do_apply_template, do_create_share_link, share_token
from tandem.closeplans.tests.factories import av_template
from tandem.core.api.routers import router
from tandem.core.calendar import do_add_company_holiday
from tandem.crm.tests.factories import AccountFactory, StakeholderFactory
from tandem.estimates.actuals.services import do_create_past_project
from tandem.estimates.models import LineKind
from tandem.estimates.proposals import render as proposals
from tandem.estimates.requests.services import do_create_request
from tandem.estimates.scenarios.services import do_create_estimate, do_save_version
from tandem.notifications.models import Notification
from tandem.notifications.services import do_notify_many
from tandem.pipeline.models import Stage
from tandem.pipeline.tests.factories import ActivityFactory, DealFactory

# Table column: persona fixture (conftest.py). The seller owns the deal, its account, its
# plan's first step, the estimate request and the notification; the other seller owns none.
PERSONAS = {
    "anon": None,
    "out": "outsider",
    "sell": "seller",
    "oth": "other_seller",
    "pm": "project_manager",
    "rm": "resource_manager",
    "fin": "finance",
    "exec": "executive",
    "crew": "crew",
    "adm": "admin_user",
}
METHODS = ("GET", "POST", "PATCH", "DELETE")

# Every named URL but the API router's. Anonymous 302s go to a sign-in page (checked).
PAGES = """
name                                  method anon out  sell oth  pm   rm   fin  exec crew adm

home                                  GET    302  200  200  200  200  200  200  200  200  200
healthz                               GET    200  200  200  200  200  200  200  200  200  200
search                                GET    302  200  200  200  200  200  200  200  200  200
login                                 GET    200  302  302  302  302  302  302  302  302  302
login                                 POST   200  302  302  302  302  302  302  302  302  302
logout                                POST   302  302  302  302  302  302  302  302  302  302
password_change                       GET    302  200  200  200  200  200  200  200  200  200
password_change                       POST   302  200  200  200  200  200  200  200  200  200
password_change_done                  GET    302  200  200  200  200  200  200  200  200  200
password_reset                        GET    200  200  200  200  200  200  200  200  200  200
password_reset                        POST   200  200  200  200  200  200  200  200  200  200
password_reset_done                   GET    200  200  200  200  200  200  200  200  200  200
password_reset_confirm                GET    200  200  200  200  200  200  200  200  200  200
password_reset_confirm                POST   200  200  200  200  200  200  200  200  200  200
password_reset_complete               GET    200  200  200  200  200  200  200  200  200  200

pipeline:board                        GET    302  403  200  200  200  200  200  200  200  200
closeplans:hygiene                    GET    302  403  200  200  200  200  200  200  200  200
pipeline:deal_list                    GET    302  403  200  200  200  200  200  200  200  200
pipeline:deal_create                  GET    302  403  200  200  200  200  403  200  403  200
pipeline:deal_create                  POST   302  403  200  200  200  200  403  200  403  200
pipeline:deal_detail                  GET    302  403  200  200  200  200  200  200  200  200
pipeline:deal_edit                    GET    302  403  200  403  200  200  403  200  403  200
pipeline:deal_edit                    POST   302  403  200  403  200  200  403  200  403  200
pipeline:deal_move                    POST   302  403  302  403  302  302  403  302  403  302
pipeline:deal_close_date              POST   302  403  400  403  400  400  403  400  403  400
pipeline:deal_lost                    POST   302  403  400  403  400  400  403  400  403  400
pipeline:deal_nurture                 POST   302  403  302  403  302  302  403  302  403  302
pipeline:deal_return                  POST   302  403  400  403  400  400  403  400  403  400
pipeline:deal_reopen                  POST   302  403  400  403  400  400  403  400  403  400
pipeline:deal_log_activity            POST   302  403  400  400  400  400  403  400  403  400
pipeline:deal_next_step               POST   302  403  400  403  400  400  403  400  403  400

crm:account_list                      GET    302  403  200  200  200  200  200  200  200  200
crm:account_create                    GET    302  403  200  200  200  200  403  200  403  200
crm:account_create                    POST   302  403  200  200  200  200  403  200  403  200
crm:account_lookup                    GET    302  403  200  200  200  200  200  200  200  200
crm:account_detail                    GET    302  403  200  200  200  200  200  200  200  200
crm:account_edit                      GET    302  403  200  200  200  200  403  200  403  200
crm:account_edit                      POST   302  403  200  200  200  200  403  200  403  200
crm:account_add_person                POST   302  403  400  400  400  400  403  400  403  400
pipeline:account_log_activity         POST   302  403  400  400  400  400  403  400  403  400
crm:contact_list                      GET    302  403  200  200  200  200  200  200  200  200
crm:contact_create                    GET    302  403  200  200  200  200  403  200  403  200
crm:contact_create                    POST   302  403  200  200  200  200  403  200  403  200
crm:contact_detail                    GET    302  403  200  200  200  200  200  200  200  200
crm:contact_edit                      GET    302  403  200  200  200  200  403  200  403  200
crm:contact_edit                      POST   302  403  200  200  200  200  403  200  403  200
crm:contact_add_role                  POST   302  403  400  400  400  400  403  400  403  400
crm:stakeholder_end                   POST   302  403  400  400  400  400  403  400  403  400
crm:stakeholder_move                  POST   302  403  400  400  400  400  403  400  403  400

closeplans:plan                       GET    302  403  200  200  200  200  200  200  200  200
closeplans:plan_apply                 POST   302  403  400  403  400  400  403  400  403  400
closeplans:step_add                   POST   302  403  400  403  400  400  403  400  403  400
closeplans:accept_close               POST   302  403  400  403  400  400  403  400  403  400
closeplans:share                      POST   302  403  400  403  400  400  403  400  403  400
closeplans:step_edit                  POST   302  403  400  403  400  400  403  400  403  400
closeplans:step_move                  POST   302  403  400  403  400  400  403  400  403  400
closeplans:step_remove                POST   302  403  302  403  302  302  403  302  403  302
closeplans:step_status                POST   302  403  400  403  400  400  403  400  403  400
closeplans:step_comment               POST   302  403  400  403  400  400  403  400  403  400
closeplans:share_revoke               POST   302  403  302  403  302  302  403  302  403  302
closeplans:checkups                   GET    302  403  200  200  200  200  200  200  200  200
closeplans:checkup_done               POST   302  403  302  403  302  302  403  302  403  302
closeplans:checkup_blocked            POST   302  403  400  403  400  400  403  400  403  400
closeplans:checkup_note               POST   302  403  400  403  400  400  403  400  403  400
closeplans:template_list              GET    302  403  200  200  200  200  200  200  200  200
closeplans:template_create            GET    302  403  403  403  200  200  403  200  403  200
closeplans:template_create            POST   302  403  403  403  400  400  403  400  403  400
closeplans:template_detail            GET    302  403  200  200  200  200  200  200  200  200
closeplans:template_edit              GET    302  403  403  403  200  200  403  200  403  200
closeplans:template_edit              POST   302  403  403  403  400  400  403  400  403  400
closeplans:template_step_add          POST   302  403  403  403  400  400  403  400  403  400
closeplans:template_step_reorder      POST   302  403  403  403  400  400  403  400  403  400
closeplans:template_step_edit         GET    302  403  403  403  200  200  403  200  403  200
closeplans:template_step_edit         POST   302  403  403  403  400  400  403  400  403  400
closeplans:template_step_delete       POST   302  403  403  403  302  302  403  302  403  302
closeplans:template_step_move         POST   302  403  403  403  400  400  403  400  403  400
# Days off carry no view permission: everyone signed in reads them.
closeplans:holiday_list               GET    302  200  200  200  200  200  200  200  200  200
closeplans:holiday_list               POST   302  403  403  403  400  400  403  400  403  400
closeplans:holiday_delete             POST   302  403  403  403  302  302  403  302  403  302

catalog:catalog_list                GET    302  403  200  200  200  200  200  200  200  200
catalog:item_create                 GET    302  403  403  403  200  200  403  403  403  200
catalog:item_create                 POST   302  403  403  403  200  200  403  403  403  200
catalog:catalog_import              GET    302  403  403  403  200  200  403  403  403  200
catalog:catalog_import              POST   302  403  403  403  200  200  403  403  403  200
catalog:catalog_import_confirm      POST   302  403  403  403  302  302  403  403  403  302
catalog:item_detail                 GET    302  403  200  200  200  200  200  200  200  200
catalog:item_edit                   GET    302  403  403  403  200  200  403  403  403  200
catalog:item_edit                   POST   302  403  403  403  200  200  403  403  403  200
catalog:item_deactivate             POST   302  403  403  403  302  302  403  403  403  302
catalog:supplier_list               GET    302  403  200  200  200  200  200  200  200  200
catalog:supplier_create             GET    302  403  403  403  200  200  403  403  403  200
catalog:supplier_create             POST   302  403  403  403  200  200  403  403  403  200
catalog:supplier_edit               GET    302  403  403  403  200  200  403  403  403  200
catalog:supplier_edit               POST   302  403  403  403  200  200  403  403  403  200
catalog:role_list                   GET    302  403  200  200  200  200  200  200  200  200
catalog:role_create                 GET    302  403  403  403  200  200  403  403  403  200
catalog:role_create                 POST   302  403  403  403  200  200  403  403  403  200
catalog:role_detail                 GET    302  403  200  200  200  200  200  200  200  200
catalog:role_edit                   GET    302  403  403  403  200  200  403  403  403  200
catalog:role_edit                   POST   302  403  403  403  200  200  403  403  403  200
catalog:rate_create                 GET    302  403  403  403  200  200  403  403  403  200
catalog:rate_create                 POST   302  403  403  403  200  200  403  403  403  200
catalog:rate_edit                   GET    302  403  403  403  200  200  403  403  403  200
catalog:rate_edit                   POST   302  403  403  403  200  200  403  403  403  200
catalog:rate_delete                 POST   302  403  403  403  302  302  403  403  403  302
estimates:request_list                GET    302  200  200  200  200  200  200  200  200  200
estimates:request_create              GET    302  403  200  403  200  200  403  200  403  200
estimates:request_create              POST   302  403  400  403  400  400  403  400  403  400
estimates:request_detail              GET    302  403  200  200  200  200  200  200  200  200
estimates:request_edit                GET    302  403  200  403  200  200  403  200  403  200
estimates:request_edit                POST   302  403  200  403  200  200  403  200  403  200
estimates:request_start               POST   302  403  403  403  302  302  403  403  403  302
estimates:request_return              POST   302  403  403  403  302  302  403  403  403  302
estimates:request_decline             POST   302  403  403  403  400  400  403  403  403  400
estimates:request_again               POST   302  403  400  403  400  400  403  400  403  400
estimates:request_attach              POST   302  403  400  403  400  400  403  400  403  400
estimates:attachment_download         GET    302  403  200  200  200  200  200  200  200  200
estimates:attachment_remove           POST   302  403  302  403  302  302  403  302  403  302
estimates:estimate_create             GET    302  403  403  403  200  200  403  403  403  200
estimates:estimate_create             POST   302  403  403  403  200  200  403  403  403  200
estimates:estimate_compare            GET    302  403  200  200  200  200  200  200  200  200
estimates:estimate_detail             GET    302  403  200  200  200  200  200  200  200  200
estimates:estimate_edit               GET    302  403  403  403  200  200  403  403  403  200
estimates:estimate_edit               POST   302  403  403  403  422  422  403  403  403  422
estimates:estimate_preview            POST   302  403  403  403  200  200  403  403  403  200
estimates:estimate_diff               GET    302  403  200  200  200  200  200  200  200  200
estimates:estimate_copy               POST   302  403  403  403  422  422  403  403  403  422
estimates:estimate_accept             POST   302  403  302  403  302  302  403  302  403  302
estimates:version_detail              GET    302  403  200  200  200  200  200  200  200  200
estimates:proposal                    GET    302  403  200  200  200  200  200  200  200  200
estimates:proposal_pdf                GET    302  403  200  200  200  200  200  200  200  200
estimates:past_project_list           GET    302  403  200  200  200  200  200  200  200  200
estimates:past_project_create         GET    302  403  403  403  200  200  403  403  403  200
estimates:past_project_create         POST   302  403  403  403  200  200  403  403  403  200
estimates:past_project_import         GET    302  403  403  403  200  200  403  403  403  200
estimates:past_project_import         POST   302  403  403  403  200  200  403  403  403  200
estimates:past_project_import_confirm POST   302  403  403  403  302  302  403  403  403  302
estimates:past_project_edit           GET    302  403  403  403  200  200  403  403  403  200
estimates:past_project_edit           POST   302  403  403  403  200  200  403  403  403  200
estimates:past_project_delete         POST   302  403  403  403  302  302  403  403  403  302

# The customer's link: the token is the key, whoever holds it.
shared:plan                           GET    200  200  200  200  200  200  200  200  200  200
shared:name                           POST   200  200  200  200  200  200  200  200  200  200
shared:step_mark                      POST   200  200  200  200  200  200  200  200  200  200
shared:step_comment                   POST   200  200  200  200  200  200  200  200  200  200

notifications:inbox                   GET    302  200  200  200  200  200  200  200  200  200
notifications:bell                    GET    302  200  200  200  200  200  200  200  200  200
# Only the recipient's own notice: anyone else's is not found.
notifications:notification_open       GET    302  404  302  404  404  404  404  404  404  404
notifications:notification_read       POST   302  404  302  404  404  404  404  404  404  404
notifications:notification_read_all   POST   302  302  302  302  302  302  302  302  302  302

# Signing in for a token: no password, no token.
api-token                             POST   400  400  400  400  400  400  400  400  400  400
api-schema                            GET    403  200  200  200  200  200  200  200  200  200
api-docs                              GET    403  200  200  200  200  200  200  200  200  200
# Staff only: Django's own login page for everyone else.
admin:index                           GET    302  302  302  302  302  302  302  302  302  200
admin:people_user_changelist          GET    302  302  302  302  302  302  302  302  302  200

"""

# The API router's endpoints, by URL name. PUT is left out: PATCH takes the same check.
API = """
name                                  method anon out  sell oth  pm   rm   fin  exec crew adm

account-list                          GET    401  403  200  200  200  200  200  200  200  200
account-list                          POST   401  403  400  400  400  400  403  400  403  400
account-detail                        GET    401  403  200  200  200  200  200  200  200  200
account-detail                        PATCH  401  403  200  200  200  200  403  200  403  200
contact-list                          GET    401  403  200  200  200  200  200  200  200  200
contact-list                          POST   401  403  400  400  400  400  403  400  403  400
contact-detail                        GET    401  403  200  200  200  200  200  200  200  200
contact-detail                        PATCH  401  403  200  200  200  200  403  200  403  200
stakeholder-list                      GET    401  403  200  200  200  200  200  200  200  200
stakeholder-list                      POST   401  403  400  400  400  400  403  400  403  400
stakeholder-detail                    GET    401  403  200  200  200  200  200  200  200  200
stakeholder-detail                    PATCH  401  403  200  200  200  200  403  200  403  200
stakeholder-move                      POST   401  403  400  400  400  400  403  400  403  400
activity-list                         GET    401  403  200  200  200  200  200  200  200  200
activity-list                         POST   401  403  400  400  400  400  403  400  403  400
activity-detail                       GET    401  403  200  200  200  200  200  200  200  200
stage-list                            GET    401  403  200  200  200  200  200  200  200  200
stage-list                            POST   401  403  403  403  403  403  403  403  403  400
stage-detail                          GET    401  403  200  200  200  200  200  200  200  200
stage-detail                          PATCH  401  403  403  403  403  403  403  403  403  200
deal-list                             GET    401  403  200  200  200  200  200  200  200  200
deal-list                             POST   401  403  400  400  400  400  403  400  403  400
deal-detail                           GET    401  403  200  200  200  200  200  200  200  200
deal-detail                           PATCH  401  403  200  403  200  200  403  200  403  200
deal-close-date                       POST   401  403  400  403  400  400  403  400  403  400
deal-close-date-changes               GET    401  403  200  200  200  200  200  200  200  200
deal-lost                             POST   401  403  400  403  400  400  403  400  403  400
deal-move                             POST   401  403  400  403  400  400  403  400  403  400
deal-nurture                          POST   401  403  200  403  200  200  403  200  403  200
deal-reopen                           POST   401  403  400  403  400  400  403  400  403  400
deal-return-to-pipeline               POST   401  403  400  403  400  400  403  400  403  400
plantemplate-list                     GET    401  403  200  200  200  200  200  200  200  200
plantemplate-list                     POST   401  403  403  403  400  400  403  400  403  400
plantemplate-detail                   GET    401  403  200  200  200  200  200  200  200  200
plantemplate-detail                   PATCH  401  403  403  403  200  200  403  200  403  200
plantemplate-detail                   DELETE 401  403  403  403  204  204  403  204  403  204
closeplan-list                        GET    401  403  200  200  200  200  200  200  200  200
closeplan-apply                       POST   401  403  400  400  400  400  403  400  403  400
closeplan-detail                      GET    401  403  200  200  200  200  200  200  200  200
closeplan-accept-proposed-close       POST   401  403  400  403  400  400  403  400  403  400
closeplan-revoke-share-link           POST   401  403  200  403  200  200  403  200  403  200
closeplan-share-links                 GET    401  403  200  403  200  200  403  200  403  200
closeplan-share-links                 POST   401  403  201  403  201  201  403  201  403  201
planstep-list                         GET    401  403  200  200  200  200  200  200  200  200
planstep-list                         POST   401  403  400  400  400  400  403  400  403  400
planstep-detail                       GET    401  403  200  200  200  200  200  200  200  200
planstep-detail                       PATCH  401  403  200  403  200  200  403  200  403  200
planstep-detail                       DELETE 401  403  204  403  204  204  403  204  403  204
planstep-comments                     GET    401  403  200  200  200  200  200  200  200  200
planstep-comments                     POST   401  403  400  403  400  400  403  400  403  400
planstep-set-status                   POST   401  403  400  403  400  400  403  400  403  400
checkup-list                          GET    401  403  200  200  200  200  200  200  200  200
notification-list                     GET    401  200  200  200  200  200  200  200  200  200
notification-read-all                 POST   401  200  200  200  200  200  200  200  200  200
# Only the recipient's own notice: anyone else's is not found.
notification-detail                   GET    401  404  200  404  404  404  404  404  404  404
notification-read                     POST   401  404  200  404  404  404  404  404  404  404
supplier-list                         GET    401  403  200  200  200  200  200  200  200  200
supplier-list                         POST   401  403  403  403  400  400  403  403  403  400
supplier-detail                       GET    401  403  200  200  200  200  200  200  200  200
supplier-detail                       PATCH  401  403  403  403  200  200  403  403  403  200
supplier-deactivate                   POST   401  403  403  403  200  200  403  403  403  200
catalogitem-list                      GET    401  403  200  200  200  200  200  200  200  200
catalogitem-list                      POST   401  403  403  403  400  400  403  403  403  400
catalogitem-import-csv                POST   401  403  403  403  415  415  403  403  403  415
catalogitem-detail                    GET    401  403  200  200  200  200  200  200  200  200
catalogitem-detail                    PATCH  401  403  403  403  200  200  403  403  403  200
catalogitem-deactivate                POST   401  403  403  403  200  200  403  403  403  200
labourrole-list                       GET    401  403  200  200  200  200  200  200  200  200
labourrole-list                       POST   401  403  403  403  400  400  403  403  403  400
labourrole-detail                     GET    401  403  200  200  200  200  200  200  200  200
labourrole-detail                     PATCH  401  403  403  403  200  200  403  403  403  200
labourrole-rates                      GET    401  403  200  200  200  200  200  200  200  200
labourrole-rates                      POST   401  403  403  403  400  400  403  403  403  400
estimaterequest-list                  GET    401  403  200  200  200  200  200  200  200  200
estimaterequest-list                  POST   401  403  400  400  400  400  403  400  403  400
estimaterequest-detail                GET    401  403  200  200  200  200  200  200  200  200
estimaterequest-detail                PATCH  401  403  200  403  200  200  403  200  403  200
estimaterequest-attachments           GET    401  403  200  200  200  200  200  200  200  200
estimaterequest-attachments           POST   401  403  415  403  415  415  403  415  403  415
estimaterequest-decline               POST   401  403  403  403  400  400  403  403  403  400
estimaterequest-return-request        POST   401  403  403  403  200  200  403  403  403  200
estimaterequest-round-again           POST   401  403  400  403  400  400  403  400  403  400
estimaterequest-start                 POST   401  403  403  403  200  200  403  403  403  200
estimate-list                         GET    401  403  200  200  200  200  200  200  200  200
estimate-list                         POST   401  403  403  403  400  400  403  403  403  400
estimate-detail                       GET    401  403  200  200  200  200  200  200  200  200
estimate-accept                       POST   401  403  200  403  200  200  403  200  403  200
estimate-copy                         POST   401  403  403  403  400  400  403  403  403  400
estimate-diff                         GET    401  403  200  200  200  200  200  200  200  200
estimate-versions                     POST   401  403  403  403  400  400  403  403  403  400
estimateversion-list                  GET    401  403  200  200  200  200  200  200  200  200
estimateversion-detail                GET    401  403  200  200  200  200  200  200  200  200
estimateline-list                     GET    401  403  200  200  200  200  200  200  200  200
estimateline-detail                   GET    401  403  200  200  200  200  200  200  200  200
pastproject-list                      GET    401  403  200  200  200  200  200  200  200  200
pastproject-list                      POST   401  403  403  403  400  400  403  403  403  400
pastproject-detail                    GET    401  403  200  200  200  200  200  200  200  200
pastproject-detail                    PATCH  401  403  403  403  200  200  403  403  403  200
api-root                              GET    403  200  200  200  200  200  200  200  200  200
"""

# The Django admin guards all its URLs alike (staff only, then model permissions) and every
# ModelAdmin adds a handful: its rows in PAGES stand for the rest.
ADMIN_NAMESPACE = "admin:"

# The object a `pk` stands for, by the path segment just before it.
PK_OBJECTS = {
    "accounts": "account",
    "contacts": "contact",
    "stakeholders": "stakeholder",
    "activities": "activity",
    "stages": "stage",
    "deals": "deal",
    "close-plans": "plan",
    "plan-steps": "step",
    "steps": "step",
    "share-links": "share_link",
    "plan-templates": "template",
    "days-off": "holiday",
    "suppliers": "supplier",
    "catalog": "item",
    "catalog-items": "item",
    "roles": "labour_role",
    "labour-roles": "labour_role",
    "rates": "rate",
    "estimate-requests": "estimate_request",
    "files": "attachment",
    "estimates": "estimate",
    "estimate-versions": "version",
    "estimate-lines": "line",
    "past-projects": "past_project",
    "notifications": "notification",
}
# Every other keyword argument, by its name.
KWARG_OBJECTS = {
    "deal_pk": "deal",
    "step_pk": "template_step",
    "step_id": "customer_step",
    "link_id": "share_link",
    "number": "version_number",
    # password_reset_confirm takes these too: it answers its "link no longer valid" page.
    "token": "share_token",
    "uidb64": "uidb64",
}
SENTINEL = 987654321


def _parse(table: str) -> dict[tuple[str, str], dict[str, int]]:
    """{(name, method): {column: status}} from a table; `#` starts a comment."""
    lines = [line.split("#", 1)[0].split() for line in table.splitlines()]
    header, *rows = [words for words in lines if words]
    assert header == ["name", "method", *PERSONAS], "The header names the PERSONAS columns"
    expected = {}
    for name, method, *statuses in rows:
        assert method in METHODS, f"{name}: {method} is not one of {METHODS}"
        assert len(statuses) == len(PERSONAS), f"{name} {method}: one status per persona"
        assert (name, method) not in expected, f"{name} {method} is in the table twice"
        assert all(int(status) < 500 for status in statuses), f"{name} {method}: a 5xx is a bug"
        expected[name, method] = dict(zip(PERSONAS, map(int, statuses), strict=True))
    return expected


def _walk(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, inner)
        else:
            yield namespace, pattern


def _methods(pattern) -> set[str]:
    """The methods a viewset route maps; GET for any other view."""
    actions = getattr(pattern.callback, "actions", None) or {"get": None}
    return {method.upper() for method in actions} - {"PUT"}


def _routes():
    """{name: (keyword arguments, methods)} of every named URL, and the unnamed ones."""
    routes, unnamed = {}, []
    for namespace, pattern in _walk(get_resolver().url_patterns):
        if not pattern.name:
            unnamed.append((namespace, str(pattern.pattern)))
            continue
        name = f"{namespace}{pattern.name}"
        # The router adds a twin with a `.json` suffix to every route: the plain one is kept.
        kwargs = tuple(sorted(set(pattern.pattern.regex.groupindex) - {"format"}))
        routes.setdefault(name, (kwargs, _methods(pattern)))
    return routes, unnamed


EXPECTED_PAGES = _parse(PAGES)
EXPECTED_API = _parse(API)
EXPECTED = {**EXPECTED_PAGES, **EXPECTED_API}
ROUTES, UNNAMED = _routes()
API_NAMES = {pattern.name for pattern in router.urls}
PAGE_NAMES = {
    name for name in ROUTES if name not in API_NAMES and not name.startswith(ADMIN_NAMESPACE)
}


def test_every_url_and_endpoint_is_in_the_table():
    tabled_pages = {name for name, _ in EXPECTED_PAGES}
    problems = [
        f"{route} (namespace {namespace!r}) has no name: name it and add it to PAGES"
        for namespace, route in UNNAMED
        if namespace != ADMIN_NAMESPACE
    ]
    if missing := sorted(PAGE_NAMES - tabled_pages):
        problems.append(f"Not in PAGES (say who may open them): {', '.join(missing)}")
    for name in sorted(API_NAMES):
        tabled = {method for row, method in EXPECTED_API if row == name}
        if missing := sorted(ROUTES[name][1] - tabled):
            problems.append(f"Not in API: {name} {', '.join(missing)}")

    assert not problems, "\n".join(problems)


def test_the_table_names_only_urls_that_exist():
    gone = [f"PAGES: {name}" for name, _ in EXPECTED_PAGES if name not in ROUTES]
    gone += [f"PAGES: {name} is an API endpoint" for name, _ in EXPECTED_PAGES if name in API_NAMES]
    gone += [
        f"API: {name} {method}"
        for name, method in EXPECTED_API
        if name not in API_NAMES or method not in ROUTES[name][1]
    ]

    assert not gone, "In the table but no longer answered:\n" + "\n".join(sorted(set(gone)))


@pytest.fixture
def users(request) -> dict:
    return {fixture: request.getfixturevalue(fixture) for fixture in PERSONAS.values() if fixture}


@pytest.fixture
def objects(users) -> dict:
    """One of everything a URL can name, owned by the seller where anyone owns it."""
    seller, pm = users["seller"], users["project_manager"]
    today = timezone.localdate()
    account = AccountFactory(owner=seller)
    stakeholder = StakeholderFactory(account=account)
    deal = DealFactory(owner=seller, account=account)
    template = av_template()
    plan = do_apply_template(deal, template, seller)
    steps = list(plan.steps.order_by("position"))
    link = do_create_share_link(plan, seller)
    role = catalog_services.do_create_role(None, name="Rigger")
    catalog_services.do_add_rate(
        role, None, effective_from=today - dt.timedelta(days=30), cost_rate=60, bill_rate=100
    )
    # A rate not yet in effect: the only kind that may still be edited or deleted.
    raise_ = catalog_services.do_add_rate(
        role, None, effective_from=today + dt.timedelta(days=90), cost_rate=65, bill_rate=110
    )
    floor_plan = SimpleUploadedFile("plan.pdf", b"%PDF-1.7\n", content_type="application/pdf")
    estimate_request = do_create_request(
        seller,
        deal,
        title="Expo booth",
        brief="A 360° screen over the booth.",
        needed_by=today + dt.timedelta(days=7),
        estimators=[(pm, "everything")],
        files=[floor_plan],
    )
    estimate = do_create_estimate(pm, deal, name="Full booth", request=estimate_request)
    freight = {"kind": LineKind.EXPENSE, "name": "Freight", "cost": Decimal("100")}
    version = do_save_version(estimate, pm, base_number=0, lines=[freight])
    notice = Notification(
        recipient=seller,
        key="matrix",
        kind="checkups",
        title="1 checkup",
        created_at=timezone.now(),
    )
    do_notify_many([notice])
    return {
        "account": account,
        "contact": stakeholder.contact,
        "stakeholder": stakeholder,
        "activity": ActivityFactory(account=account, author=seller),
        "stage": Stage.objects.order_by("order").first(),
        "deal": deal,
        "plan": plan,
        "step": steps[0],
        "customer_step": next(step for step in steps if step.side == Side.CUSTOMER),
        "share_link": link,
        "share_token": share_token(link),
        "template": template,
        "template_step": template.steps.order_by("position").first(),
        "holiday": do_add_company_holiday(None, date=today + dt.timedelta(days=200), name="Off"),
        "supplier": SupplierFactory(),
        "item": CatalogItemFactory(),
        "labour_role": role,
        "rate": raise_,
        "estimate_request": estimate_request,
        "attachment": estimate_request.attachments.get(),
        "estimate": estimate,
        "version": version,
        "version_number": version.number,
        "line": version.lines.first(),
        "past_project": do_create_past_project(
            None, reference="P-1", name="Auto show", hours={role: Decimal("120")}
        ),
        "notification": Notification.objects.get(recipient=seller, key="matrix"),
        "uidb64": "MQ",
    }


@pytest.fixture(autouse=True)
def _no_pdf_drawing(monkeypatch):
    # Who may have the PDF is settled before it is drawn, and drawing takes half a second.
    monkeypatch.setattr(proposals, "render_pdf", lambda html: b"%PDF-1.7\n")


def _pk(value):
    return getattr(value, "pk", value)


def _url(name: str, objects: dict) -> str:
    names = ROUTES[name][0]
    kwargs = {}
    for kwarg in names:
        if kwarg != "pk":
            assert kwarg in KWARG_OBJECTS, f"{name}: add what <{kwarg}> is to KWARG_OBJECTS"
            kwargs[kwarg] = _pk(objects[KWARG_OBJECTS[kwarg]])
    if "pk" not in names:
        return reverse(name, kwargs=kwargs)
    parts = reverse(name, kwargs={**kwargs, "pk": SENTINEL}).split("/")
    segment = parts[parts.index(str(SENTINEL)) - 1]
    assert segment in PK_OBJECTS, f"{name}: add what the pk after {segment}/ is to PK_OBJECTS"
    return reverse(name, kwargs={**kwargs, "pk": _pk(objects[PK_OBJECTS[segment]])})


def _client(users: dict, column: str) -> APIClient:
    client = APIClient(raise_request_exception=False)
    if PERSONAS[column]:
        client.force_login(users[PERSONAS[column]])
    return client


def _ask(client, name: str, method: str, url: str):
    """Send one request with no data and forget everything it wrote, a sign-out included."""
    cookies = copy.deepcopy(client.cookies)
    with transaction.atomic():
        if method == "GET":
            response = client.get(url)
        elif name in API_NAMES:
            response = client.generic(method, url, "{}", content_type="application/json")
        else:
            response = client.post(url, {})
        transaction.set_rollback(True)
    client.cookies = cookies
    return response


@pytest.mark.django_db
@pytest.mark.parametrize("column", list(PERSONAS))
def test_each_persona_gets_the_status_the_table_says(users, objects, column):
    client = _client(users, column)
    errors, mismatches = [], []
    for (name, method), statuses in EXPECTED.items():
        if name not in ROUTES:
            continue  # test_the_table_names_only_urls_that_exist says so
        url = _url(name, objects)
        response = _ask(client, name, method, url)
        got, want = response.status_code, statuses[column]
        if got >= 500:
            raised = response.exc_info[1] if response.exc_info else None
            errors.append(f"{name} {method} {url}: {got} {raised!r}")
        elif got != want:
            mismatches.append(f"{name} {method} {url}: the table says {want}, it answered {got}")
        elif column == "anon" and got == 302 and "login/?next=" not in response["Location"]:
            mismatches.append(f"{name} {method}: sent to {response['Location']}, not to sign in")

    assert not errors, f"Server errors for {column}:\n" + "\n".join(errors)
    assert not mismatches, f"{len(mismatches)} mismatches for {column}:\n" + "\n".join(mismatches)


@pytest.mark.django_db
def test_page_methods_left_out_of_the_table_are_not_allowed(users, objects):
    client = _client(users, "adm")
    answered = []
    for name in sorted(PAGE_NAMES):
        for method in ("GET", "POST"):
            if (name, method) not in EXPECTED_PAGES:
                status = _ask(client, name, method, _url(name, objects)).status_code
                if status != 405:
                    answered.append(f"{name} {method}: {status}")

    assert not answered, "Answered, but not in PAGES (add a row):\n" + "\n".join(answered)
