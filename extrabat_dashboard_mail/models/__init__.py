from . import extrabat_dashboard_element
from . import extrabat_dashboard_subscription
from . import ir_mail_server
from . import res_company
from . import res_config_settings
from . import res_users
from . import sale_order
