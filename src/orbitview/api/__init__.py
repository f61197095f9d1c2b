"""The front door's implementation: one module per kind of question.

Import from :mod:`orbitview` (``import orbitview as ov``), not from here: the names
there are the public ones, loaded when first used.
"""
