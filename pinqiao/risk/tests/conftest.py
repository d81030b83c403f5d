from pinqiao.tickets.tests.conftest import (  # noqa: F401 - fixtures
    _media,
    employer,
    handler,
    handler2,
    org_reviewer,
    posting,
    reviewer2,
    supervisor,
)
