from . import extrabat_dashboard_element
from . import res_partner
from . import stock_picking
