from . import base_partner_merge_automatic_wizard
from . import extrabat_client_code_assign_wizard
from . import extrabat_question_export
