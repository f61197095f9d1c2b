"""What users take away: figures (matplotlib and cartopy live only here), the web map,
exports and text tables.

Imports every layer below it.
"""
