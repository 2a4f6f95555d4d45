"""Create the PostgreSQL database of DATABASE_URL if it does not exist yet (`make bench`)."""

from __future__ import annotations

import os
import sys

import dj_database_url
import psycopg
from psycopg import sql


def main() -> int:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        print("DATABASE_URL must name a PostgreSQL database.", file=sys.stderr)
        return 2
    config = dj_database_url.parse(url)
    name = config["NAME"]
    try:
        with psycopg.connect(
            host=config.get("HOST") or "127.0.0.1",
            port=int(config.get("PORT") or 5432),
            user=config.get("USER") or None,
            password=config.get("PASSWORD") or None,
            dbname="postgres",
            autocommit=True,
            connect_timeout=10,
        ) as connection:
            exists = connection.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [name]
            ).fetchone()
            if not exists:
                connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
                print(f"created database {name}")
    except psycopg.OperationalError as error:
        print(f"PostgreSQL is not reachable at {config.get('HOST')}: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
