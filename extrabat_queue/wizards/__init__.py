from . import extrabat_letter_generate
