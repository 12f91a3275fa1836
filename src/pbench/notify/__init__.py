"""Webhooks (``--notify URL``): what went wrong in a run, as one JSON POST per run.

:mod:`pbench.notify.events` turns findings (a broken budget now; a regression against a
baseline once it is wired, a change point found by ``pbench trend``:
:mod:`pbench.notify.changes` says which are news) into
:class:`~pbench.notify.events.Event` values, :mod:`pbench.notify.payload` makes the
payload (the events, and a ``text`` that Slack and Mattermost incoming webhooks show as
is), and :mod:`pbench.notify.send` POSTs it with a timeout and retries, and never
raises: the run's results and exit status do not depend on a chat server.
"""
