"""Background tasks of the résumés (run by the task worker)."""

from django_tasks import task

from pinqiao.resumes.services import attachment_text_extract


@task()
def extract_attachment_text(attachment_id: int) -> int:
    """Extract the text of a large uploaded résumé file within the worker's time limit (RES-2);
    returns the number of characters kept."""
    attachment = attachment_text_extract(attachment_id=attachment_id)
    return len(attachment.text) if attachment is not None else 0
