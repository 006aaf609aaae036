from . import dashboard_run
