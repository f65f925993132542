from __future__ import annotations

import sys

from courseware.footguns.cli import main

sys.exit(main())
