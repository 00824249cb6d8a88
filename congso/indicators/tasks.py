from django_tasks import task

from congso.indicators.models import ImportJob


@task()
def import_job_run(*, job_id: int) -> None:
    from congso.indicators.services import import_job_process

    job = ImportJob.objects.select_related("form", "created_by").filter(pk=job_id).first()
    if job is not None and job.status == "pending":
        import_job_process(job=job)
