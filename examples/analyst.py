# %% [markdown]
# # An analyst's notebook
#
# Five questions analysts ask about Pakistan's satellites, a few lines each, with the
# Python front door. This is a plain script with `# %%` cells: run it with
# `python examples/analyst.py`, or open it as a notebook with jupytext
# (`jupytext --to notebook examples/analyst.py`). It needs the `analysis` extra
# (`python -m pip install ".[analysis]"`). The tests run it, and its `assert` lines
# check the answers.
#
# The times are explicit and fall just after the newest bundled element sets (late June
# 2026 for PRSS-1, early September 2026 for the PRSC satellites), so the answers are
# the ones the page shows whenever you run it. With current elements
# (`orbitview tle update --all`), give today's dates.

# %%
import orbitview as ov

# %% [markdown]
# ## Passes of PRSS-1 over Lahore for 3 days, as a DataFrame
#
# Radio access: the satellite at least 10 degrees above Lahore's horizon. Every row
# carries the element age and the 90 % timing bound it rests on.

# %%
passes = ov.passes("PRSS-1", "Lahore", "2026-06-27T00:00+05:00", days=3, access="radio")
frame = passes.to_dataframe()
print(frame[["aos_utc", "max_elevation_deg", "direction", "duration_s", "timing_bound_s"]]
      .to_string())
assert len(frame) == 9 and frame["max_elevation_deg"].min() >= 10
assert frame["timing_bound_s"].max() < 60          # elements a few days old: seconds

# %% [markdown]
# ## PRSC-EO1 imaging opportunities over Faisalabad this week
#
# Imaging access: Faisalabad inside the field of regard (30 degrees off nadir, an
# assumed value the result names) with the Sun at least 10 degrees up.

# %%
chances = ov.opportunities("PRSC-EO1", "Faisalabad", "2026-09-06T00:00Z", days=7)
print(chances)
table = chances.to_dataframe()
print(table[["time_utc", "off_nadir_deg", "side", "sun_elevation_deg", "gsd_m"]].to_string())
assert len(table) >= 1 and (table["off_nadir_deg"] <= 30).all()
assert (table["sun_elevation_deg"] >= 10).all()
assert any(note.kind == "assumed" for note in chances.notes)

# %% [markdown]
# ## Imaging revisit over Punjab, as an xarray grid and a map
#
# The three PRSC imagers for a week: per 0.1-degree cell the number of opportunities,
# the time to the first image, and the mean and longest wait, in hours.

# %%
revisit = ov.coverage(["PRSC-EO1", "PRSC-S1", "PRSC-EO3"], region="Punjab",
                      start="2026-09-06T00:00Z", days=7, access="imaging")
grid = revisit.to_xarray()
print(grid["max_revisit_h"].attrs["units"], float(grid["max_revisit_h"].max()))
assert set(grid.dims) == {"lat", "lon"}
assert int(grid["in_region"].sum()) > 1500
assert float(grid["max_revisit_h"].max()) <= 7 * 24
figure = revisit.plot()
figure.savefig("punjab_revisit.png", dpi=80)

# %% [markdown]
# ## Sub-satellite points for a day
#
# Every minute of 2026-09-07 for two satellites, as an xarray Dataset on
# (satellite, time) and as a long table.

# %%
points = ov.positions(["PRSC-EO1", "PRSC-EO3"], "2026-09-07T00:00Z", days=1, step_s=60)
tracks = points.to_xarray()
print(tracks["lat_deg"].sizes)
assert tracks["lat_deg"].shape == (2, 1441)
assert float(abs(tracks["lat_deg"]).max()) < 90 and float(tracks["altitude_km"].min()) > 450
rows = points.to_dataframe()
assert len(rows) == 2 * 1441 and set(rows["name"]) == {"PRSC-EO1", "PRSC-EO3"}

# %% [markdown]
# ## The geostationary neighbours of PakSat-MM1, as a GeoDataFrame
#
# The bundled CelesTrak GEO catalogue (late May 2026): every object within 1 degree of
# PakSat-MM1's slot, as points on the equator in EPSG:4326.

# %%
belt = ov.geo_belt("PakSat-MM1", within_deg=1).to_geodataframe()
print(belt[["name", "mean_lon_deg", "separation_km", "status"]].to_string())
assert belt.crs.to_epsg() == 4326
assert "PAKSAT-1R" in set(belt["name"]) and len(belt) == 5
assert (belt["separation_km"].abs() < 800).all()
