from . import ir_attachment_client
from . import extrabat_letter_sign
from . import extrabat_letter_send
from . import extrabat_letter_sign_attempt
from . import res_partner_documents
