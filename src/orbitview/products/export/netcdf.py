"""NetCDF-4 grids following the CF conventions (CF-1.8), from an xarray Dataset.

The Dataset is the one a coverage answer gives (``CoverageGrid.to_xarray()``): latitude
and longitude coordinates with ``units`` and ``standard_name``, every metric with
``units`` and ``long_name``, NaN (the ``_FillValue``) outside the region and where a cell
has no value, and the access rule, window and element sets in the global attributes.
This adds the ``history`` line and writes the file through netCDF4.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np


def prepared(ds, history: str):
    """``ds`` ready for a CF file: ``history`` set, the cell mask as a byte flag with
    ``flag_values``, no fill value on the coordinates."""
    ds = ds.copy()
    ds.attrs["history"] = history
    ds.attrs.setdefault("Conventions", "CF-1.8")
    if "in_region" in ds:
        attrs = dict(ds["in_region"].attrs)
        ds["in_region"] = ds["in_region"].astype(np.int8)
        ds["in_region"].attrs.update(attrs, flag_values=np.array([0, 1], np.int8),
                                     flag_meanings="outside inside")
    return ds


def encoding(ds) -> dict:
    """Float metrics filled with NaN; coordinates without a fill value (CF 2.5.1)."""
    out = {name: {"_FillValue": np.nan} for name, v in ds.data_vars.items()
           if np.issubdtype(v.dtype, np.floating)}
    out.update({name: {"_FillValue": None} for name in ds.coords})
    return out


def write(path: Path | str, ds, history: str) -> None:
    """Write ``ds`` as a NetCDF-4 file at ``path``."""
    ds = prepared(ds, history)
    ds.to_netcdf(str(path), engine="netcdf4", format="NETCDF4", encoding=encoding(ds))


def to_bytes(ds, history: str) -> bytes:
    """The NetCDF-4 file of ``ds`` as bytes."""
    with tempfile.TemporaryDirectory(prefix="orbitview-") as tmp:
        path = Path(tmp) / "grid.nc"
        write(path, ds, history)
        return path.read_bytes()
