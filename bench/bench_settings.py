"""Production settings with the bench's URLconf (the trivial baseline view) and its own static dir.

Only `make bench-*` uses this module; nothing in the project imports it.
"""

import os

from cluster_portal.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench.bench_urls"
# Production serves hashed names from collectstatic's manifest; the bench collects into a
# temporary directory instead of the repository's staticfiles/.
STATIC_ROOT = os.environ.get("BENCH_STATIC_ROOT") or STATIC_ROOT  # noqa: F405
