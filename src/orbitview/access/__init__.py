"""When satellites see the ground: access rules, passes, footprints, swaths, sightings,
imaging opportunities, coverage and revisit, and the dask driver.

Imports :mod:`orbitview.orbit` and the layers below it.
"""
