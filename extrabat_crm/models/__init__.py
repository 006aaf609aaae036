from . import extrabat_client_status
from . import res_company
from . import res_config_settings
from . import res_partner
from . import sale_order
from . import account_move
