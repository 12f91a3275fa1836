"""Commands as targets: the target (spawn, time, reap), the shell it may go through, the
hooks, the freestanding launcher (``_launcher/``), and the process-tree sampler
(``sampler``, ``sampling``, ``procfs``)."""
