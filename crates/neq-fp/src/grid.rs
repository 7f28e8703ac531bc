//! The regular grid: its validation, memory layout and the groups of grid lines that the
//! directional solves work on.
//!
//! Cells are stored row-major with the last axis fastest (as in [`Density`]): the cell with
//! multi-index (i_0, …, i_{d−1}) is at Σ i_k · stride_k with stride_k = Π_{j>k} n_j. A line
//! along axis k is the set of cells that differ only in i_k. Lines are processed in
//! [`Lines`] groups of up to [`LANES`] neighbours whose layout makes the interleaved
//! tridiagonal solves contiguous: for the last axis, up to eight consecutive rows; for any
//! other axis, up to eight lines that are adjacent in memory (neighbouring values of the
//! faster indices). The grouping depends only on the grid, never on the number of threads.
//!
//! [`Density`]: neq_core::Density

use neq_core::Axis;

use crate::FpError;

/// Lines solved together (interleaved) by the tridiagonal kernels.
pub(crate) const LANES: usize = 8;

/// Most axes a grid may have.
pub const MAX_DIM: usize = 3;

/// A validated regular grid.
#[derive(Clone, Debug)]
pub(crate) struct Grid {
    /// The axes, as given.
    pub axes: Vec<Axis>,
    /// Cells per axis.
    pub cells: Vec<usize>,
    /// Distance in memory between neighbours along each axis.
    pub strides: Vec<usize>,
    /// Width of a cell along each axis.
    pub widths: Vec<f64>,
    /// Number of cells.
    pub total: usize,
    /// Volume of one cell.
    pub volume: f64,
}

impl Grid {
    /// Checks the axes and derives the layout.
    pub fn new(axes: Vec<Axis>) -> Result<Grid, FpError> {
        if axes.is_empty() || axes.len() > MAX_DIM {
            return Err(FpError::UnsupportedDimension { dim: axes.len(), max: MAX_DIM });
        }
        for (axis, a) in axes.iter().enumerate() {
            if !(a.lo.is_finite() && a.hi.is_finite()) {
                return Err(FpError::BadAxis { axis, reason: "its bounds must be finite" });
            }
            if a.lo >= a.hi {
                return Err(FpError::BadAxis {
                    axis,
                    reason: "its lower bound must be below its upper bound",
                });
            }
            if a.cells < 2 {
                return Err(FpError::BadAxis { axis, reason: "it needs at least 2 cells" });
            }
        }
        let cells: Vec<usize> = axes.iter().map(|a| a.cells).collect();
        let total = cells.iter().try_fold(1usize, |acc, &n| acc.checked_mul(n));
        let Some(total) = total.filter(|&t| t <= isize::MAX as usize / 8) else {
            return Err(FpError::BadAxis { axis: 0, reason: "the grid has too many cells" });
        };
        let mut strides = vec![1; cells.len()];
        for k in (0..cells.len() - 1).rev() {
            strides[k] = strides[k + 1] * cells[k + 1];
        }
        let widths: Vec<f64> = axes.iter().map(Axis::width).collect();
        let volume = widths.iter().product();
        Ok(Grid { axes, cells, strides, widths, total, volume })
    }

    /// Number of axes.
    pub fn dim(&self) -> usize {
        self.axes.len()
    }

    /// Cells per line along the last axis.
    pub fn row_len(&self) -> usize {
        self.cells[self.dim() - 1]
    }

    /// Number of lines along the last axis.
    pub fn rows(&self) -> usize {
        self.total / self.row_len()
    }

    /// The multi-index of cell `index`.
    pub fn multi_index(&self, index: usize) -> Vec<usize> {
        self.strides.iter().zip(&self.cells).map(|(&s, &n)| (index / s) % n).collect()
    }

    /// The centre of cell `index`.
    pub fn centre(&self, index: usize) -> Vec<f64> {
        self.multi_index(index).iter().zip(&self.axes).map(|(&i, a)| a.centre(i)).collect()
    }

    /// Whether cell `index` touches the boundary of the box.
    #[cfg(test)]
    pub fn is_edge(&self, index: usize) -> bool {
        self.multi_index(index).iter().zip(&self.cells).any(|(&i, &n)| i == 0 || i + 1 == n)
    }

    /// The groups of lines along `axis`, in a fixed order.
    pub fn line_groups(&self, axis: usize) -> Vec<Lines> {
        let n = self.cells[axis];
        let last = self.dim() - 1;
        let mut groups = Vec::new();
        if axis == last {
            let rows = self.rows();
            for first in (0..rows).step_by(LANES) {
                groups.push(Lines {
                    base: first * n,
                    n,
                    elem_stride: 1,
                    lane_stride: n,
                    lanes: LANES.min(rows - first),
                });
            }
        } else {
            let inner = self.strides[axis];
            let outer = self.total / (n * inner);
            for o in 0..outer {
                for k in (0..inner).step_by(LANES) {
                    groups.push(Lines {
                        base: o * n * inner + k,
                        n,
                        elem_stride: inner,
                        lane_stride: 1,
                        lanes: LANES.min(inner - k),
                    });
                }
            }
        }
        groups
    }
}

/// Up to [`LANES`] lines along one axis: cell i of lane l is at
/// `base + i · elem_stride + l · lane_stride`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Lines {
    /// Index of cell 0 of lane 0.
    pub base: usize,
    /// Cells per line.
    pub n: usize,
    /// Distance between neighbouring cells of a line.
    pub elem_stride: usize,
    /// Distance between neighbouring lines.
    pub lane_stride: usize,
    /// Number of lines (1 to [`LANES`]).
    pub lanes: usize,
}

impl Lines {
    /// Grid index of cell `i` of lane `l`.
    #[inline(always)]
    pub fn index(&self, i: usize, l: usize) -> usize {
        self.base + i * self.elem_stride + l * self.lane_stride
    }

    /// Position of cell `i` of lane `l` in the group's work buffers: interleaved for a full
    /// group, one line after the other otherwise.
    #[inline(always)]
    pub fn slot(&self, i: usize, l: usize) -> usize {
        if self.lanes == LANES { i * LANES + l } else { l * self.n + i }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn axis(cells: usize) -> Axis {
        Axis { lo: -1.0, hi: 1.0, cells }
    }

    #[test]
    fn rejects_bad_axes() {
        assert!(matches!(Grid::new(vec![]), Err(FpError::UnsupportedDimension { .. })));
        assert!(matches!(Grid::new(vec![axis(1)]), Err(FpError::BadAxis { .. })));
        let flipped = Axis { lo: 1.0, hi: -1.0, cells: 4 };
        assert!(matches!(Grid::new(vec![axis(4), flipped]), Err(FpError::BadAxis { axis: 1, .. })));
    }

    #[test]
    fn line_groups_cover_every_cell_once_along_every_axis() {
        for cells in [vec![13], vec![5, 19], vec![3, 10, 9]] {
            let grid = Grid::new(cells.iter().map(|&n| axis(n)).collect()).unwrap();
            for d in 0..grid.dim() {
                let mut seen = vec![0u8; grid.total];
                for g in grid.line_groups(d) {
                    assert_eq!(g.n, grid.cells[d]);
                    for l in 0..g.lanes {
                        for i in 0..g.n {
                            let index = g.index(i, l);
                            seen[index] += 1;
                            assert_eq!(grid.multi_index(index)[d], i);
                        }
                    }
                }
                assert!(seen.iter().all(|&s| s == 1), "axis {d} of {cells:?}");
            }
        }
    }

    #[test]
    fn edges_are_the_outer_shell() {
        let grid = Grid::new(vec![axis(4), axis(5)]).unwrap();
        let edges = (0..grid.total).filter(|&i| grid.is_edge(i)).count();
        assert_eq!(edges, 4 * 5 - 2 * 3);
    }
}
