//! One [`Table`] to one Parquet file: the Arrow schema, the writer settings, the atomic write.

use std::path::Path;
use std::sync::Arc;

use arrow_array::{
    ArrayRef, Float64Array, Int64Array, RecordBatch, RecordBatchOptions, StringArray,
};
use arrow_schema::{DataType, Field, Schema};
use neq_core::table::{Column, ColumnType, Table};
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, ZstdLevel};
use parquet::errors::ParquetError;
use parquet::file::metadata::KeyValue;
use parquet::file::properties::{EnabledStatistics, WriterProperties};
use parquet::schema::types::ColumnPath;

use crate::TableError;
use crate::fs::replace_atomically;

/// Writes `table` to the Parquet file `path`, replacing any file of that name.
///
/// Each column becomes a non-nullable Arrow column: text as `Utf8`, floats as `Float64`,
/// integers as `Int64`. The file is zstd-compressed (level 1), has page statistics, does
/// not dictionary-encode float columns, and carries `metadata` as key-value metadata, in
/// the given order, next to the `ARROW:schema` key arrow-rs adds. Callers pass the run's
/// identity under [`KEY_NEQ_VERSION`](crate::KEY_NEQ_VERSION),
/// [`KEY_PIPELINE_SHA256`](crate::KEY_PIPELINE_SHA256) and [`KEY_SEED`](crate::KEY_SEED).
///
/// Nothing time-dependent is embedded: the same table and metadata give a byte-identical
/// file. The data goes to a hidden temporary file in the same directory, which is fsynced
/// and renamed to `path` only when complete; the directory must exist.
pub fn write_table(
    path: &Path,
    table: &Table,
    metadata: &[(String, String)],
) -> Result<(), TableError> {
    let encode_error = |error: String| TableError::Encode {
        table: table.name.clone(),
        path: path.to_owned(),
        detail: error,
    };
    let batch = record_batch(table).map_err(|e| encode_error(e.to_string()))?;
    let properties = writer_properties(table, metadata);
    let parquet_error = |error: ParquetError| match error {
        ParquetError::External(inner) => match inner.downcast::<std::io::Error>() {
            Ok(io) => TableError::io("write results to", path, *io),
            Err(other) => encode_error(other.to_string()),
        },
        other => encode_error(other.to_string()),
    };

    replace_atomically(path, "write results to", |out| {
        let mut writer =
            ArrowWriter::try_new(out, batch.schema(), Some(properties)).map_err(parquet_error)?;
        writer.write(&batch).map_err(parquet_error)?;
        writer.into_inner().map_err(parquet_error)
    })?;
    tracing::trace!(path = %path.display(), rows = table.num_rows(), "table written");
    Ok(())
}

/// The Arrow type of a column type.
fn data_type(ty: ColumnType) -> DataType {
    match ty {
        ColumnType::Utf8 => DataType::Utf8,
        ColumnType::Float64 => DataType::Float64,
        ColumnType::Int64 => DataType::Int64,
    }
}

/// The table's columns as one Arrow record batch (a copy of the values).
fn record_batch(table: &Table) -> Result<RecordBatch, arrow_schema::ArrowError> {
    let fields: Vec<Field> = table
        .columns()
        .map(|(name, column)| Field::new(name, data_type(column.ty()), false))
        .collect();
    let arrays: Vec<ArrayRef> = table
        .columns()
        .map(|(_, column)| -> ArrayRef {
            match column {
                Column::Utf8(v) => Arc::new(StringArray::from_iter_values(v)),
                Column::Float64(v) => Arc::new(Float64Array::from_iter_values(v.iter().copied())),
                Column::Int64(v) => Arc::new(Int64Array::from_iter_values(v.iter().copied())),
            }
        })
        .collect();
    // The row count matters only for a table without columns.
    let options = RecordBatchOptions::new().with_row_count(Some(table.num_rows()));
    RecordBatch::try_new_with_options(Arc::new(Schema::new(fields)), arrays, &options)
}

/// Writer settings: zstd level 1, page statistics, no dictionary for floats, the metadata.
fn writer_properties(table: &Table, metadata: &[(String, String)]) -> WriterProperties {
    let zstd = ZstdLevel::try_new(1).expect("zstd level 1 is valid");
    let key_values = metadata.iter().map(|(k, v)| KeyValue::new(k.clone(), v.clone())).collect();
    let mut builder = WriterProperties::builder()
        .set_compression(Compression::ZSTD(zstd))
        .set_statistics_enabled(EnabledStatistics::Page)
        .set_key_value_metadata(Some(key_values));
    for (name, column) in table.columns() {
        if column.ty() == ColumnType::Float64 {
            // Float values rarely repeat; dictionary pages cost time and space (FACTS.md).
            builder =
                builder.set_column_dictionary_enabled(ColumnPath::new(vec![name.into()]), false);
        }
    }
    builder.build()
}
