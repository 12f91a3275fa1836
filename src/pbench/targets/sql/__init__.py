"""SQL queries as targets: ``base`` (what all share), ``target`` (batching, hooks, the
factory), the ``sqlite`` and ``postgres`` sessions, query cancellation, DSNs, and the
pool of clients the load runner uses."""
