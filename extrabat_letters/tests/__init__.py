from . import test_install
from . import test_letter_template
from . import test_letter_generation
from . import test_letter_batch
from . import test_views
from . import test_attachment_folder
