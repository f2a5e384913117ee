"""Reader-page queries go to the read replica (settings add this router only
when ``DATABASE_REPLICA_URL`` is set).

Only the reader-facing apps read from the replica, and only outside a
transaction: sessions, users and the admin's reads stay on the primary so a
login or an edit is seen on the very next request, whatever the replica's lag.
"""

from django.db import connections

REPLICA_APPS = frozenset({"articles", "taggit"})


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if model._meta.app_label in REPLICA_APPS and not connections["default"].in_atomic_block:
            return "replica"
        return "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        # Both aliases hold the same data.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"
