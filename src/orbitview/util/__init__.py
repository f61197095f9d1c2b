"""The ground floor: errors, atomic writes, CSV reading, time grids, memory budget.

Nothing here imports another orbitview layer.
"""
