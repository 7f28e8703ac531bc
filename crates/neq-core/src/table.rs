//! Tables that metrics fill: named, typed columns of equal length, in memory.
//!
//! A metric declares its columns with [`ColumnSpec`]s (part of the language reference) and
//! appends rows to a [`Table`]. Writing to Parquet happens elsewhere.

/// The type of a column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColumnType {
    /// UTF-8 text, e.g. a sampler's name.
    Utf8,
    /// 64-bit float.
    Float64,
    /// 64-bit signed integer.
    Int64,
}

impl ColumnType {
    /// The name used in the language reference.
    pub fn name(self) -> &'static str {
        match self {
            ColumnType::Utf8 => "string",
            ColumnType::Float64 => "f64",
            ColumnType::Int64 => "i64",
        }
    }
}

/// A column's name, type and one-line meaning.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ColumnSpec {
    /// Column name.
    pub name: &'static str,
    /// Column type.
    pub ty: ColumnType,
    /// What the column holds, with its unit.
    pub doc: &'static str,
}

/// The values of one column.
#[derive(Clone, Debug, PartialEq)]
pub enum Column {
    /// Text values.
    Utf8(Vec<String>),
    /// Float values.
    Float64(Vec<f64>),
    /// Integer values.
    Int64(Vec<i64>),
}

impl Column {
    fn empty(ty: ColumnType) -> Self {
        match ty {
            ColumnType::Utf8 => Column::Utf8(Vec::new()),
            ColumnType::Float64 => Column::Float64(Vec::new()),
            ColumnType::Int64 => Column::Int64(Vec::new()),
        }
    }

    /// Number of values.
    pub fn len(&self) -> usize {
        match self {
            Column::Utf8(v) => v.len(),
            Column::Float64(v) => v.len(),
            Column::Int64(v) => v.len(),
        }
    }

    /// Whether the column has no values.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The column's type.
    pub fn ty(&self) -> ColumnType {
        match self {
            Column::Utf8(_) => ColumnType::Utf8,
            Column::Float64(_) => ColumnType::Float64,
            Column::Int64(_) => ColumnType::Int64,
        }
    }
}

/// One cell value, used to append rows.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell<'a> {
    /// A text value.
    Str(&'a str),
    /// A float value.
    F64(f64),
    /// An integer value.
    I64(i64),
}

/// A table under construction: columns fixed at creation, rows appended.
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    /// The table's name: the metric's name in the pipeline.
    pub name: String,
    names: Vec<&'static str>,
    columns: Vec<Column>,
}

impl Table {
    /// An empty table with the given columns.
    pub fn new(name: impl Into<String>, specs: &[ColumnSpec]) -> Self {
        Table {
            name: name.into(),
            names: specs.iter().map(|s| s.name).collect(),
            columns: specs.iter().map(|s| Column::empty(s.ty)).collect(),
        }
    }

    /// Appends one row.
    ///
    /// # Panics
    /// If the row's length or cell types do not match the columns: that is a bug in the
    /// metric, not a user error.
    pub fn push_row(&mut self, row: &[Cell<'_>]) {
        assert_eq!(row.len(), self.columns.len(), "row width of table `{}`", self.name);
        for (column, cell) in self.columns.iter_mut().zip(row) {
            match (column, cell) {
                (Column::Utf8(v), Cell::Str(s)) => v.push((*s).to_owned()),
                (Column::Float64(v), Cell::F64(x)) => v.push(*x),
                (Column::Int64(v), Cell::I64(x)) => v.push(*x),
                (column, cell) => panic!("cell {cell:?} does not fit a {:?} column", column.ty()),
            }
        }
    }

    /// Appends all rows of `other`, which must have the same columns.
    pub fn append(&mut self, other: Table) {
        assert_eq!(self.names, other.names, "appending a table with other columns");
        for (mine, theirs) in self.columns.iter_mut().zip(other.columns) {
            match (mine, theirs) {
                (Column::Utf8(a), Column::Utf8(b)) => a.extend(b),
                (Column::Float64(a), Column::Float64(b)) => a.extend(b),
                (Column::Int64(a), Column::Int64(b)) => a.extend(b),
                _ => unreachable!("same names imply same types"),
            }
        }
    }

    /// Column names and values, in order.
    pub fn columns(&self) -> impl Iterator<Item = (&'static str, &Column)> {
        self.names.iter().copied().zip(&self.columns)
    }

    /// Number of rows.
    pub fn num_rows(&self) -> usize {
        self.columns.first().map_or(0, Column::len)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPECS: [ColumnSpec; 2] = [
        ColumnSpec { name: "sampler", ty: ColumnType::Utf8, doc: "" },
        ColumnSpec { name: "t", ty: ColumnType::Float64, doc: "" },
    ];

    #[test]
    fn rows_append_to_typed_columns() {
        let mut table = Table::new("m", &SPECS);
        table.push_row(&[Cell::Str("sim"), Cell::F64(0.5)]);
        let mut more = Table::new("m", &SPECS);
        more.push_row(&[Cell::Str("eq"), Cell::F64(1.0)]);
        table.append(more);
        assert_eq!(table.num_rows(), 2);
        let (name, column) = table.columns().nth(1).unwrap();
        assert_eq!(name, "t");
        assert_eq!(column, &Column::Float64(vec![0.5, 1.0]));
    }

    #[test]
    #[should_panic(expected = "does not fit")]
    fn mistyped_cells_are_a_bug() {
        Table::new("m", &SPECS).push_row(&[Cell::F64(1.0), Cell::F64(0.5)]);
    }
}
