"""The pages every CSV import shares: upload and dry run, then confirm.

The import keeps the uploaded file between the dry run and the confirmation in a private
temporary directory under a random token that only the uploader's session knows: the person
does not upload 20 MB twice, the file path never comes from the browser, and the confirmation
checks the same bytes the report was made from (against the database as it is then).

Each import (catalog items, past projects) describes itself with an ImportFlow; its views
check who may import and hand over to `import_page` and `import_confirm`.
"""

import datetime as dt
import re
import secrets
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from tandem.catalog.forms import ImportConfirmForm
from tandem.catalog.imports import ERROR, ImportReport

REPORT_ROWS_SHOWN = 500
UPLOAD_MAX_AGE = dt.timedelta(hours=6)


@dataclass(frozen=True)
class ImportFlow:
    """One CSV import: how its file is checked and written, and the pages around it.

    `name` gives the URL names in `namespace` (<name>_import, <name>_import_confirm, and
    the list <name>_list) and the session key (<name>_import).
    """

    namespace: str
    name: str
    title: str  # "Import catalog items"
    key_label: str  # what names a row in the report: "SKU", "Reference"
    list_label: str
    form_class: type[forms.Form]
    dry_run: Callable[..., ImportReport]
    # write(by, fileobj, *, valid_rows_only) -> ImportReport, or ValidationError
    write: Callable[..., ImportReport]

    @property
    def session_key(self) -> str:
        return f"{self.name}_import"

    @property
    def page(self) -> str:
        return f"{self.namespace}:{self.name}_import"

    @property
    def confirm(self) -> str:
        return f"{self.namespace}:{self.name}_import_confirm"

    @property
    def done(self) -> str:
        return f"{self.namespace}:{self.name}_list"


def _upload_dir() -> Path:
    path = Path(tempfile.gettempdir()) / "tandem-imports"
    path.mkdir(mode=0o700, exist_ok=True)
    return path


def _forget_old_uploads(now: dt.datetime) -> None:
    # Uploads nobody confirmed are dropped after a while.
    for path in _upload_dir().glob("*.csv"):
        modified = dt.datetime.fromtimestamp(path.stat().st_mtime, tz=dt.UTC)
        if now - modified > UPLOAD_MAX_AGE:
            path.unlink(missing_ok=True)


def _stored_upload(request, flow: ImportFlow) -> tuple[Path | None, str]:
    stored = request.session.get(flow.session_key) or {}
    token = stored.get("token", "")
    if not re.fullmatch(r"[0-9a-f]{32}", token):
        return None, ""
    path = _upload_dir() / f"{token}.csv"
    return (path if path.exists() else None), stored.get("name", "")


def _drop_upload(request, flow: ImportFlow) -> None:
    path, _ = _stored_upload(request, flow)
    if path:
        path.unlink(missing_ok=True)
    request.session.pop(flow.session_key, None)


def _report_context(report: ImportReport, name: str) -> dict:
    shown = report.error_rows[:REPORT_ROWS_SHOWN]
    if len(shown) < REPORT_ROWS_SHOWN:
        others = (r for r in report.rows if r.status != ERROR)
        shown += [r for _, r in zip(range(REPORT_ROWS_SHOWN - len(shown)), others, strict=False)]
    return {
        "report": report,
        "counts": report.counts,
        "shown_rows": shown,
        "rows_hidden": len(report.rows) - len(shown),
        "file_name": name,
    }


def import_page(request: HttpRequest, flow: ImportFlow) -> HttpResponse:
    """Upload a file and show its dry run; a readable file is kept for the confirmation."""
    context: dict = {"section": flow.name, "flow": flow}
    if request.method == "POST":
        form = flow.form_class(request.POST, request.FILES)
        if form.is_valid():
            _drop_upload(request, flow)
            _forget_old_uploads(timezone.now())
            upload = form.cleaned_data["file"]
            report = flow.dry_run(upload.file)
            context |= _report_context(report, upload.name)
            if not report.file_errors:
                token = secrets.token_hex(16)
                upload.file.seek(0)
                with open(_upload_dir() / f"{token}.csv", "wb") as out:
                    shutil.copyfileobj(upload.file, out)
                request.session[flow.session_key] = {"token": token, "name": upload.name}
    else:
        form = flow.form_class()
    context["form"] = form
    return render(request, "catalog/import.html", context)


def import_confirm(request: HttpRequest, flow: ImportFlow) -> HttpResponse:
    """Write the kept file (all rows, or the valid ones); refused, show the report again."""
    path, name = _stored_upload(request, flow)
    confirm = ImportConfirmForm(request.POST)
    if path is None or not confirm.is_valid():
        messages.error(request, "That upload is no longer here: upload the file again.")
        return redirect(flow.page)
    valid_only = confirm.cleaned_data["mode"] == "valid"
    with open(path, "rb") as fileobj:
        try:
            report = flow.write(request.user, fileobj, valid_rows_only=valid_only)
        except ValidationError as exc:
            fileobj.seek(0)
            report = flow.dry_run(fileobj)
            context = {
                "section": flow.name,
                "flow": flow,
                "form": flow.form_class(),
                "import_error": exc,
            }
            context |= _report_context(report, name)
            return render(request, "catalog/import.html", context)
    _drop_upload(request, flow)
    counts = report.counts
    messages.success(
        request,
        f"Imported {name}: {counts['created']} created, {counts['updated']} updated, "
        f"{counts['unchanged']} unchanged"
        + (f", {counts['error']} rows with errors skipped." if counts["error"] else "."),
    )
    return redirect(flow.done)
