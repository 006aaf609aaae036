from . import extrabat_question
from . import extrabat_question_option
from . import extrabat_question_answer
from . import res_partner
