from . import test_access
from . import test_concurrency
from . import test_install
from . import test_mail_render
from . import test_preferences
from . import test_schedule
from . import test_sending
from . import test_unsubscribe
