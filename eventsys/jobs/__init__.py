"""Background jobs: RQ on Redis when `EVENTSYS_REDIS_URL` is set, in-process otherwise.

Why RQ rather than Celery: the jobs here are a handful of plain functions (bulk PDFs, draining the
e-mail outbox) on one Redis that the site already uses for rate limits. RQ needs no broker
configuration, no beat process and no result backend; its `Retry`, job timeouts and the
`--with-scheduler` worker cover what we need, and `SimpleWorker(...).work(burst=True)` runs a
queue inside a test. Celery's routing, canvases and multi-broker support would be unused weight.

The state a person sees (status, items done, the result file) is the `Job` row, not the RQ job:
any app server can show it, it survives a Redis flush, and the same function runs in-process on a
laptop with no Redis (`JOBS_INPROCESS`: a thread, or synchronously at enqueue time in tests).

Idempotence: a job is found again by its idempotency key (a double submission is one job), and
running a job whose result file exists does nothing. The result is written to a temporary file and
renamed, then the row is marked done, so a worker killed mid-job leaves no half file behind and
the retry (RQ `Retry`, or the abandoned-job cleanup of RQ) starts the work again from zero.

The package: queue.py (the registry of job kinds, Redis, creating, dispatching and running a job,
its result file), upkeep.py (stale jobs, retries), outbox.py (sending the e-mail outbox through a
worker, woken after commits), kinds.py (the job kinds: thin wrappers that call services).
"""

from eventsys.jobs.kinds import (
    badges_job,
    certificates_job,
    form_key,
    import_summary,
    programme_import_job,
    registration_import_job,
    signin_sheets_job,
)
from eventsys.jobs.outbox import (
    drain_outbox,
    enqueue_outbox_drain,
    init_app,
)
from eventsys.jobs.queue import (
    KINDS,
    REDIS_BACKOFF_SECONDS,
    JobFunction,
    JobOutput,
    Progress,
    dispatch,
    execute,
    inprocess_mode,
    job_kind,
    purge_old_results,
    redis_client,
    redis_status,
    result_file,
    run_job,
    set_worker_app,
    start_job,
    storage_root,
)
from eventsys.jobs.upkeep import (
    STALE_ERROR,
    is_stale_error,
    recover_stale,
    retry_job,
)

__all__ = [
    "badges_job",
    "certificates_job",
    "dispatch",
    "drain_outbox",
    "enqueue_outbox_drain",
    "execute",
    "form_key",
    "import_summary",
    "init_app",
    "inprocess_mode",
    "is_stale_error",
    "job_kind",
    "JobFunction",
    "JobOutput",
    "KINDS",
    "programme_import_job",
    "Progress",
    "purge_old_results",
    "recover_stale",
    "REDIS_BACKOFF_SECONDS",
    "redis_client",
    "redis_status",
    "registration_import_job",
    "result_file",
    "retry_job",
    "run_job",
    "set_worker_app",
    "signin_sheets_job",
    "STALE_ERROR",
    "start_job",
    "storage_root",
]
