from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from tandem.core.forms import (
    CurrencyField,
    DateInput,
    DateTimeInput,
    FriendlyErrorsMixin,
    StyledFormMixin,
    add_service_errors,
)
from tandem.core.registry import registry
from tandem.crm.models import Account, Contact
from tandem.people.models import Role, User
from tandem.pipeline import services
from tandem.pipeline.models import Activity, Deal, LostReason, Stage
from tandem.pipeline.services import CONFIRM_AMOUNT, DEAL_FIELDS


def _owners():
    return User.objects.filter(is_active=True).exclude(role=Role.CREW)


CONFIRM_PAST_LABEL = "The close date is in the past on purpose"
CONFIRM_PAST_HELP = "Only for a deal that really closed on a day that has gone; say why."


class PastCloseDateMixin:
    """Ask to confirm a close date in the past only once it has been refused (or confirmed)."""

    @property
    def asks_past_confirmation(self) -> bool:
        if self.data.get("confirm_past"):
            return True
        refused = self.errors.as_data().get("target_close_date", []) if self.is_bound else []
        return any(error.code == "close_passed" for error in refused)


class DealForm(PastCloseDateMixin, StyledFormMixin, forms.ModelForm):
    """Create or edit a deal. Every rule the service keeps (a later close date needs a reason,
    a past one a confirmation and a reason, an outsized amount a confirmation…) is checked
    here too, in the same pass as the fields, so one send shows every mistake beside its
    field."""

    currency = CurrencyField(required=False)
    confirm_amount = forms.BooleanField(
        required=False,
        label="Yes, this amount is right",
        help_text="Far above any deal so far: tick to keep it.",
    )
    close_date_reason = forms.CharField(
        required=False,
        label="Why does the close date move?",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Required when the close date moves later; kept in the deal's history.",
    )
    shift_plan = forms.BooleanField(
        required=False,
        initial=True,
        label="Move the close plan's open steps with the close date",
        help_text="Either way, no step stays due after the new date.",
    )
    confirm_past = forms.BooleanField(
        required=False, label=CONFIRM_PAST_LABEL, help_text=CONFIRM_PAST_HELP
    )
    version = forms.CharField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Deal
        # What a plain edit changes, plus the two a new deal starts with (later they change
        # through their own services: move, and close date with its history).
        fields = [*DEAL_FIELDS, "stage", "target_close_date"]
        widgets = {
            "target_close_date": DateInput(),
            "requested_delivery_date": DateInput(),
            "account": forms.NumberInput(),
        }
        help_texts = {"probability": "Percent; set from the stage when the deal moves."}

    def __init__(self, *args, user: User | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["owner"].queryset = _owners()
        self.fields["owner"].required = False
        self.fields["stage"].queryset = Stage.objects.filter(is_won=False, is_lost=False)
        # A new deal starts in the first stage unless the seller knows better.
        self.fields["stage"].empty_label = None
        self.fields["probability"].required = False
        # Accounts are many: the field takes an id chosen through the account search box.
        self.fields["account"].widget = forms.HiddenInput()
        self.fields["account"].error_messages["invalid_choice"] = (
            "That account does not exist. Pick one from the list."
        )
        if self.instance.pk:
            del self.fields["stage"]
            # Offered only when something (a close plan) follows the close date.
            if not any(registry.call_hooks("pipeline.close_date_followed", self.instance)):
                del self.fields["shift_plan"]
        else:
            del self.fields["close_date_reason"]
            del self.fields["confirm_past"]
            del self.fields["shift_plan"]
            del self.fields["version"]
            self.fields["owner"].help_text = "Leave empty to own it yourself."

    def _post_clean(self):
        # The model's rules run in clean(), through the service's own check: the rules a
        # form cannot see (close-date history, stage defaults, the largest deal so far) and
        # the model's, all in one pass.
        pass

    def clean(self):
        data = super().clean()
        skip = set(self.errors)
        confirmed = bool(data.get("confirm_amount"))
        try:
            if self.instance.pk:
                services.check_deal_changes(
                    self.instance,
                    self.changes(),
                    close_date_reason=data.get("close_date_reason", ""),
                    confirm_past=bool(data.get("confirm_past")),
                    confirm_amount=confirmed,
                    skip=skip,
                )
            else:
                deal = services.new_deal(self.user, **self.new_deal_fields())
                services.check_new_deal(deal, confirm_amount=confirmed, skip=skip)
        except ValidationError as exc:
            # The service names the close date's reason `reason`; here it is close_date_reason.
            if hasattr(exc, "error_dict") and "reason" in exc.error_dict:
                exc.error_dict["close_date_reason"] = exc.error_dict.pop("reason")
            add_service_errors(self, exc)
        return data

    def new_deal_fields(self) -> dict:
        """What do_create_deal takes from this form: what was filled in, defaults for the rest."""
        left_to_service = (None, "")
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name in self.Meta.fields and value not in left_to_service
        }

    def changes(self) -> dict:
        """What do_update_deal takes from this form: the deal's fields as edited (an empty
        owner keeps the deal's, an empty probability leaves it)."""
        changes = {
            name: value for name, value in self.cleaned_data.items() if name in self.Meta.fields
        }
        if not changes.get("owner"):
            changes["owner"] = self.instance.owner
        if changes.get("probability") is None:
            changes.pop("probability", None)
        return changes

    @property
    def asks_to_confirm_amount(self) -> bool:
        """Whether the page shows the “this amount is right” box: once the amount was refused
        as outsized, and as long as the box is ticked."""
        refused = any(e.code == CONFIRM_AMOUNT for e in self.errors.as_data().get("amount", []))
        return refused or (self.is_bound and bool(self.data.get(self.add_prefix("confirm_amount"))))

    @property
    def account_label(self) -> str:
        account = self.initial.get("account") or self.data.get("account")
        if isinstance(account, Account):
            return account.name
        if self.instance.pk:
            return self.instance.account.name
        try:
            return Account.objects.only("name").get(pk=int(account)).name
        except (TypeError, ValueError, Account.DoesNotExist):
            return ""


class CloseDateForm(PastCloseDateMixin, StyledFormMixin, forms.Form):
    target_close_date = forms.DateField(label="New close date", widget=DateInput())
    reason = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 1}),
        help_text="Required when the date moves later.",
    )
    confirm_past = forms.BooleanField(
        required=False, label=CONFIRM_PAST_LABEL, help_text=CONFIRM_PAST_HELP
    )
    shift_plan = forms.BooleanField(
        required=False,
        initial=True,
        label="Move the close plan's open steps by as much",
        help_text="Either way, no step stays due after the new date.",
    )


class MoveForm(FriendlyErrorsMixin, forms.Form):
    stage = forms.ModelChoiceField(queryset=Stage.objects.all())


class LostForm(StyledFormMixin, forms.Form):
    lost_reason = forms.ChoiceField(
        choices=[("", "— choose —"), *LostReason.choices],
        error_messages={"required": "Say why the deal was lost."},
    )
    lost_note = forms.CharField(
        required=False, label="What happened?", widget=forms.Textarea(attrs={"rows": 2})
    )


class NurtureForm(StyledFormMixin, forms.Form):
    note = forms.CharField(
        required=False,
        label="How will you keep it warm?",
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReopenForm(StyledFormMixin, forms.Form):
    stage = forms.ModelChoiceField(
        queryset=Stage.objects.filter(is_won=False, is_lost=False), label="Reopen into"
    )


def default_close_date():
    return timezone.localdate() + timezone.timedelta(days=60)


class ActivityForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Activity
        fields = ["kind", "subject", "occurred_at", "deal", "contacts", "body"]
        widgets = {
            "occurred_at": DateTimeInput(),
            "body": forms.Textarea(attrs={"rows": 3}),
            "contacts": forms.CheckboxSelectMultiple,
        }
        labels = {"occurred_at": "When", "contacts": "Who took part"}

    def __init__(self, *args, account: Account, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deal"].queryset = account.deals.all()
        self.fields["deal"].required = False
        self.fields["contacts"].queryset = Contact.objects.filter(
            stakeholders__account=account
        ).distinct()
        self.fields["contacts"].required = False
        self.fields["occurred_at"].initial = timezone.localtime().replace(second=0, microsecond=0)

    def _post_clean(self):
        pass


class DealActivityForm(ActivityForm):
    """Log an activity from a deal's page: it is about that deal, so the form does not ask."""

    def __init__(self, *args, deal: Deal, **kwargs):
        super().__init__(*args, account=deal.account, **kwargs)
        del self.fields["deal"]


class NextStepForm(StyledFormMixin, forms.Form):
    next_step = forms.CharField(
        max_length=250,
        label="Next step",
        help_text="What happens next, and by when.",
        error_messages={"required": "Say what happens next on this deal."},
    )
