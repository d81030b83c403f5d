from django_tasks import task

from pinqiao.rights.exports import export_build


@task()
def build_export(export_id: int) -> None:
    """PRIV-4: build one data download in the worker."""
    export_build(export_id=export_id)
