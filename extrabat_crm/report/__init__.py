from . import extrabat_question_answer_report
