"""Runs the queries of a documentation page against a real output directory.

Usage: check_doc_queries.py PAGE.md OUT [--prefix PATH]

Every ```sql block of PAGE is run with DuckDB and every ```python block with this
interpreter, after replacing PATH (default `results`) by OUT, so the examples
users copy keep working as tables change. A query must return at least one row. Exits
non-zero naming the block that failed.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

import duckdb

BLOCK = re.compile(r"```(sql|python)\n(.*?)```", re.DOTALL)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("page", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--prefix", default="results")
    args = parser.parse_args()

    blocks = BLOCK.findall(args.page.read_text())
    if not blocks:
        print(f"error: {args.page} has no sql or python blocks", file=sys.stderr)
        return 1
    for number, (language, code) in enumerate(blocks, start=1):
        code = code.replace(args.prefix, str(args.out))
        where = f"{args.page} block {number} ({language})"
        try:
            if language == "sql":
                rows = duckdb.connect().sql(code).fetchall()
                if not rows:
                    raise RuntimeError("the query returned no rows")
            else:
                subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)
        except subprocess.CalledProcessError as error:
            print(f"error: {where}: {error.stderr.decode()}", file=sys.stderr)
            return 1
        except Exception as error:  # noqa: BLE001 (any failure of a user's query is reported)
            print(f"error: {where}: {error}", file=sys.stderr)
            return 1
        print(f"ok: {where}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
