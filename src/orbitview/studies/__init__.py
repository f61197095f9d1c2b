"""Questions built on the engines: what is overhead now, the GEO belt, partner revisit,
constellation sweeps.

Imports :mod:`orbitview.access` and the layers below it.
"""
