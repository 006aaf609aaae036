from . import test_letter_jobs
from . import test_letter_jobs_concurrency
from . import test_cron_jobs
