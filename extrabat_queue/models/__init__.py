from . import extrabat_letter_batch
from . import extrabat_letter
from . import extrabat_dashboard_subscription
from . import res_company
from . import res_partner
