"""Make sure Chromium is there for the browser tests: install Debian's package when we are
root, otherwise say loudly that those tests will be skipped."""

import os
import shutil
import subprocess
import sys

CHROMIUM = "/usr/bin/chromium"


def main() -> int:
    if os.path.exists(CHROMIUM):
        return 0
    if hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get"):
        print("Chromium is missing: installing Debian's chromium for the browser tests…")
        result = subprocess.run(
            ["apt-get", "install", "-y", "--no-install-recommends", "chromium"],
            stdout=subprocess.DEVNULL,
            check=False,
        )
        if result.returncode != 0:
            subprocess.run(["apt-get", "update"], stdout=subprocess.DEVNULL, check=False)
            result = subprocess.run(
                ["apt-get", "install", "-y", "--no-install-recommends", "chromium"],
                stdout=subprocess.DEVNULL,
                check=False,
            )
        if os.path.exists(CHROMIUM):
            return 0
    banner = "!" * 72
    print(
        f"\n{banner}\n  Chromium is not installed ({CHROMIUM}): BROWSER TESTS WILL BE SKIPPED.\n"
        f"  Install it with: sudo apt-get install -y chromium\n{banner}\n",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
