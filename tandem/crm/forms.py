from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from tandem.core.forms import DateInput, StyledFormMixin, add_service_errors, friendly_errors
from tandem.crm.models import Account, Contact, Influence, Stakeholder
from tandem.crm.services import ACCOUNT_FIELDS, check_move
from tandem.people.models import Role, User


class AccountForm(StyledFormMixin, forms.ModelForm):
    website = forms.URLField(required=False, assume_scheme="https")
    version = forms.CharField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Account
        fields = list(ACCOUNT_FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = User.objects.filter(is_active=True).exclude(role=Role.CREW)
        self.fields["owner"].required = False
        self.fields["owner"].help_text = "Leave empty to own it yourself."

    def _post_clean(self):
        # Validated by the service that writes it.
        pass


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.replace(",", "\n").splitlines() if line.strip()]


class ContactForm(StyledFormMixin, forms.ModelForm):
    emails = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="One per line; the first is the main one.",
    )
    phones = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="One per line; the first is the main one.",
    )
    version = forms.CharField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Contact
        fields = ["first_name", "last_name", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["emails"] = "\n".join(e.email for e in self.instance.emails.all())
            self.initial["phones"] = "\n".join(p.number for p in self.instance.phones.all())

    def _post_clean(self):
        pass

    def clean_emails(self):
        emails = _lines(self.cleaned_data["emails"])
        validator = forms.EmailField()
        friendly_errors(validator)
        for email in emails:
            validator.clean(email)
        return emails

    def clean_phones(self):
        return _lines(self.cleaned_data["phones"])


class _PicksAnAccount:
    """A form whose account comes from the search box; sent back refused, the box shows the
    name of the account that was picked."""

    account_field = "account"

    @property
    def account_label(self) -> str:
        if not self.is_bound:
            return ""
        picked = self.data.get(self.add_prefix(self.account_field), "")
        if not str(picked).isdigit():
            return ""
        account = Account.objects.filter(pk=int(picked)).only("name").first()
        return account.name if account else ""


class StakeholderForm(_PicksAnAccount, StyledFormMixin, forms.Form):
    """A role at an account: used on the account page (with a new contact) and the contact
    page (for an existing contact at an account picked by search)."""

    account = forms.ModelChoiceField(
        queryset=Account.objects.all(),
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": "That account does not exist. Pick one from the list."},
    )
    title = forms.CharField(max_length=150, required=False)
    influence = forms.ChoiceField(choices=Influence.choices, initial=Influence.OTHER)
    start_date = forms.DateField(widget=DateInput(), initial=timezone.localdate)
    end_date = forms.DateField(widget=DateInput(), required=False)


class NewPersonForm(StyledFormMixin, forms.Form):
    first_name = forms.CharField(max_length=100)
    last_name = forms.CharField(max_length=100)
    email = forms.EmailField(required=False)
    phone = forms.CharField(max_length=40, required=False)
    title = forms.CharField(max_length=150, required=False)
    influence = forms.ChoiceField(choices=Influence.choices, initial=Influence.OTHER)
    start_date = forms.DateField(widget=DateInput(), initial=timezone.localdate)


class EndStakeholderForm(StyledFormMixin, forms.Form):
    end_date = forms.DateField(widget=DateInput(), initial=timezone.localdate, label="Left on")


class MoveStakeholderForm(_PicksAnAccount, StyledFormMixin, forms.Form):
    """“Moved to …” on a current role; given the role (`stakeholder`), the service's rules
    are checked with the fields, so every mistake shows at once."""

    account_field = "to_account"
    to_account = forms.ModelChoiceField(
        queryset=Account.objects.all(),
        widget=forms.HiddenInput,
        label="Moved to",
        error_messages={
            "required": "Pick the account they moved to.",
            "invalid_choice": "That account does not exist. Pick one from the list.",
        },
    )
    moved_on = forms.DateField(
        widget=DateInput(), initial=timezone.localdate, label="Started there on"
    )
    title = forms.CharField(max_length=150, required=False, label="New title")
    influence = forms.ChoiceField(choices=Influence.choices, initial=Influence.OTHER)

    def __init__(self, *args, stakeholder: Stakeholder | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.stakeholder = stakeholder

    def clean(self):
        data = super().clean()
        if self.stakeholder is not None:
            try:
                check_move(self.stakeholder, data.get("to_account"), data.get("moved_on"))
            except ValidationError as error:
                add_service_errors(self, error)
        return data
