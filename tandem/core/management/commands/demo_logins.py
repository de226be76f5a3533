"""`tandem demo_logins --port 8000`: where the demo runs and who to sign in as."""

from django.core.management.base import BaseCommand

from tandem.core.seed import DEMO_LOGINS, DEMO_PASSWORD
from tandem.people.models import Role, User


class Command(BaseCommand):
    help = "Print the demo's address, its sign-ins (password 'demo') and the API docs."

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
        lines += ["", f"  API docs: {base}/api/docs/", ""]
        self.stdout.write("\n".join(lines))
