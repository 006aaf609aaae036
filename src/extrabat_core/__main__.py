"""``python -m extrabat_core``: command line of the framework-free package.

Today it carries the document engine's commands (``markers``, ``render``);
see :mod:`extrabat_core.docengine.cli`.
"""

import sys

from extrabat_core.docengine.cli import main

if __name__ == "__main__":
    sys.exit(main())
