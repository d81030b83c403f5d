"""One row INSERTed in a plain statement, for the few models written on every request or
message (audit entries, chat messages, screening records).

The ORM's ``create`` builds its statement anew for every row — for a chat message about a fifth
of the thread's CPU (issue 12), for an audit entry about 1.5 ms (issue 11). Here the statement
is built once per model and database; the values are still prepared by the model's own fields
(``pre_save`` and ``get_db_prep_save``, as the ORM does), so defaults, ``auto_now`` and JSON
encoding behave the same. Only for models without save signals, which would not run here:
:func:`insert` refuses a model that has receivers (and ``save`` overrides are not called).
"""

from __future__ import annotations

from functools import lru_cache

from django.db import connections
from django.db.models import Field, Model
from django.db.models.signals import post_save, pre_save


@lru_cache(maxsize=32)
def _statement(model: type[Model], alias: str) -> tuple[str, tuple[Field, ...]]:
    if pre_save.has_listeners(model) or post_save.has_listeners(model):
        raise TypeError(f"{model._meta.label} has save signal receivers, which a plain INSERT "
                        "would skip: save it through the ORM")
    quote = connections[alias].ops.quote_name
    meta = model._meta
    fields = tuple(f for f in meta.concrete_fields if not f.primary_key)
    columns = ", ".join(quote(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    return (f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({marks}) "
            f"RETURNING {quote(meta.pk.column)}"), fields


def insert(instance: Model, using: str = "default") -> Model:
    """INSERT ``instance`` (a new row with an automatic primary key) and set its ``pk``."""
    connection = connections[using]
    sql, fields = _statement(type(instance), using)
    values = [f.get_db_prep_save(f.pre_save(instance, True), connection) for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        instance.pk = cursor.fetchone()[0]
    instance._state.adding = False
    instance._state.db = using
    return instance
