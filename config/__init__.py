from __future__ import annotations

# Load the Celery app whenever Django starts, so that @shared_task and
# transaction.on_commit(task.delay) use Rekan's configuration.
from config.celery import app as celery_app

__all__ = ["celery_app"]
