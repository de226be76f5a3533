"""`tandem demo_logins --port 8000`: where the demo runs, who to sign in as, and the link the
customer of the shared close plan opens."""

from django.core.management.base import BaseCommand
from django.urls import reverse
from django.utils import timezone

from tandem.closeplans.models import ShareLink
from tandem.closeplans.services import share_token
from tandem.demo.company import DEMO_LOGINS, DEMO_PASSWORD
from tandem.people.models import Role, User


class Command(BaseCommand):
    help = (
        "Print the demo's address, its sign-ins (password 'demo'), the customer's view of the "
        "shared close plan and the API docs."
    )

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")

    def handle(self, *args, port: int, host: str, **options):
        base = f"http://{host}:{port}"
        users = {
            u.username: u
            for u in User.objects.filter(username__in=[login[0] for login in DEMO_LOGINS])
        }
        lines = ["", f"  Tandem is running at {base}/", ""]
        if users:
            lines.append(f"  Sign in as (password: {DEMO_PASSWORD})")
            for username, *_ in DEMO_LOGINS:
                if user := users.get(username):
                    lines.append(f"    {username:<8} {Role(user.role).label:<18} {user.name}")
        else:
            lines.append("  No demo sign-ins yet: run `tandem seed demo` to create them.")
        # The newest link still open: the one the demo shares (older ones may be revoked).
        link = ShareLink.objects.live(timezone.now()).select_related("plan__deal").first()
        if link is not None:
            path = reverse("shared:plan", args=[share_token(link)])
            lines += ["", f"  Customer view of {link.plan.deal.name}: {base}{path}"]
        lines += ["", f"  API docs: {base}/api/docs/", ""]
        self.stdout.write("\n".join(lines))
