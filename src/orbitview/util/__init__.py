"""The ground floor: errors, atomic writes, reading files safely, CSV reading, text for the
terminal, time grids, memory budget.

Every file orbitview writes goes through :mod:`orbitview.util.atomic`; every file it reads
is opened through :mod:`orbitview.util.files` (regular files of a sane size only); every
message a person reads passes :func:`orbitview.util.text.printable` (in
:class:`~orbitview.util.errors.OrbitviewError` and
:meth:`~orbitview.util.errors.Problem.message`).  Nothing here imports another orbitview
layer.
"""
