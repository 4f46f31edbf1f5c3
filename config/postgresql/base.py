"""Django's PostgreSQL backend, with parameters bound on the server in batches the protocol
takes (settings.base.with_prepared_statements chooses it).

Bound on the server, each parameter travels apart from the statement, and PostgreSQL's protocol
counts them in 16 bits: a statement may carry at most 65,535. Django batches bulk_create,
bulk_update and cascading deletes by the backend's limit, and declares none for PostgreSQL
(bound on the client, the values are spelled into the statement); this backend declares it.
"""

from django.db.backends.postgresql import base, features, operations


class DatabaseFeatures(features.DatabaseFeatures):
    max_query_params = 2**16 - 1


class DatabaseOperations(operations.DatabaseOperations):
    def bulk_batch_size(self, fields, objs):
        """As many rows as fit in max_query_params (each row binds one parameter per field)."""
        return max(self.connection.features.max_query_params // max(len(fields), 1), 1)


class DatabaseWrapper(base.DatabaseWrapper):
    features_class = DatabaseFeatures
    ops_class = DatabaseOperations
