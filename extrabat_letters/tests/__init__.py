from . import test_install
from . import test_letter_template
from . import test_letter_generation
from . import test_letter_sign
from . import test_letter_portal
from . import test_letter_send
from . import test_document_folder
from . import test_flow_tour
