from . import ir_attachment
from . import extrabat_letter_template
from . import extrabat_letter
from . import res_partner
from . import extrabat_letter_sign
from . import extrabat_letter_send
from . import extrabat_letter_sign_attempt
