"""Where satellites are: frames, the SGP4 run, slot holds, error bounds, designs.

Imports :mod:`orbitview.data` and :mod:`orbitview.util`.
"""
