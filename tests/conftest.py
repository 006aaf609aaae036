import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The project's own tools (tools/*.py) are tested here too.
sys.path.insert(0, str(ROOT / "tools"))
# This checkout's framework-free package, even if another one is pip-installed.
sys.path.insert(0, str(ROOT / "src"))
