"""Whether a step stands out of a straight line: the check that keeps a slow drift from
being cut into a cascade of change points (:mod:`pbench.stats.changepoint`, step 4).

The segment's values are fitted by least squares on an intercept, the run index and a
step at ``index`` (0 before, 1 from it on); the step's coefficient is tested with
Student's t on n − 3 degrees of freedom (:func:`pbench.stats.trend.t_two_sided_p`).
A drift is absorbed by the slope and leaves the step's coefficient near 0; a real step
is not a line and keeps it. Outliers would inflate the residual variance and hide
steps, so values whose residual in a first fit is more than :data:`OUTLIER_SCALES`
robust standard deviations (1.4826·MAD of the residuals) from 0 are left out before
the fit that is tested.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pbench.stats.trend import t_two_sided_p

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    FloatArray = npt.NDArray[np.float64]

MAD_SCALE = 1.4826  # MAD → standard deviation of a normal sample
OUTLIER_SCALES = 4.0


def step_beyond_line_p(segment: FloatArray, index: int) -> float:
    """Two-sided p-value of the step at ``index`` over a line through ``segment``
    (see the module); 1.0 when too few values are left to fit three coefficients."""
    import numpy as np

    t = np.arange(segment.size, dtype=np.float64)
    design = np.column_stack([np.ones(segment.size), t, (t >= index).astype(np.float64)])
    if segment.size < 4 or np.linalg.matrix_rank(design) < 3:
        return 1.0
    residual = segment - design @ np.linalg.lstsq(design, segment, rcond=None)[0]
    scale = MAD_SCALE * float(np.median(np.abs(residual - np.median(residual))))
    floor = 1e-12 * float(np.abs(segment).max())
    kept = np.abs(residual) <= OUTLIER_SCALES * max(scale, floor)
    design, values = design[kept], segment[kept]
    df = values.size - 3
    if df < 1 or np.linalg.matrix_rank(design) < 3:
        return 1.0
    inverse = np.linalg.inv(design.T @ design)
    coefficients = inverse @ design.T @ values
    residual = values - design @ coefficients
    se = float(np.sqrt(float(residual @ residual) / df * inverse[2, 2]))
    if se == 0.0:
        return 0.0 if coefficients[2] != 0 else 1.0
    return t_two_sided_p(float(coefficients[2]) / se, df)
