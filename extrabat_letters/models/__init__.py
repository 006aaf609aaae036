from . import ir_attachment
from . import extrabat_letter_template
from . import extrabat_letter
from . import res_partner
