"""Where regions are on the map: a point (longitude, latitude) for each of China's divisions.

The points are those of ``coopkg/refdata/cn_coordinates.csv``: each division's centre as
github.com/Vonng/adcode gives it (CC BY 4.0; from AMap's public district data, in the GCJ-02
datum as that source says, not WGS 84), as shipped by PyPI ``cpca`` 0.5.5 and copied by
``tools/build_coordinates.py``. Regions of other countries have no point yet.

>>> spots = points()
>>> len(spots)
367
>>> spots["https://w3id.org/coopkg/id/region/cn/210000"]
(123.431382, 41.836175)
"""

from __future__ import annotations

import csv
import io

from coopkg import resources
from coopkg.gazetteer import region_iri

FILE = "cn_coordinates.csv"
CREDIT = (
    "Points: centres of China's divisions from github.com/Vonng/adcode (CC BY 4.0), as packaged by "
    "PyPI cpca; GCJ-02."
)


def points() -> dict[str, tuple[float, float]]:
    """(longitude, latitude) in degrees, by region IRI."""
    text = resources.refdata_file(FILE).read_text(encoding="utf-8")
    return {
        region_iri("cn", row["adcode"]).value: (float(row["longitude"]), float(row["latitude"]))
        for row in csv.DictReader(io.StringIO(text))
    }
