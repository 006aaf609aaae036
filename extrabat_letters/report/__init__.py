from . import extrabat_letter_report
