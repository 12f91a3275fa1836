"""The application layer: one invocation from its typed flags and plans to what the user
gets. It measures plans (:mod:`.measure`... see below), publishes the results (the report,
the exports, the comparison with a stored baseline, the job summary, webhooks, saving
to history) and says everything through an injected :class:`~pbench.session.output.Output`,
so that it runs the same under click and in tests. It never imports click.
"""
