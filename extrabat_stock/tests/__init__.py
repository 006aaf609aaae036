from . import test_client_code_concurrency
from . import test_client_code_delivery
from . import test_dashboard_delivery_notes
from . import test_delivery_slip
from . import test_install
from . import test_odoo_compat
