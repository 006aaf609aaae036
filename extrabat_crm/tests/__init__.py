from . import test_install
from . import test_question_answers
from . import test_question_config
from . import test_question_export
from . import test_question_merge
from . import test_question_report
from . import test_question_search
from . import test_questions_tour
