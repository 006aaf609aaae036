from . import extrabat_letter_generate
from . import extrabat_letter_sign_wizard
from . import extrabat_document_upload
from . import mail_compose_message
