"""A cohort's seat figures, last held session and trainers, kept on its own row by the database.

The cohorts list shows, for each cohort, its seats taken (enrolled or completed), its
waiting list, the date of its last session not cancelled and its trainers. Read per row,
those were four subqueries for each of a page's 50 cohorts: most of the page's time on
PostgreSQL. So ``cohort.enrolled``, ``.waitlisted``, ``.last_session`` and ``.trainer_ids``
hold them, and triggers count them again whenever an enrolment, a session or a trainer of
the cohort changes, in the same transaction, whoever writes (the app, the command line, a
restore, the SQL prompt). The app never writes these columns itself.

Counted again, not added to: a recount cannot drift, and a cohort whose rows were
copied in (a restore) ends up right whatever the copy said. On PostgreSQL, under READ
COMMITTED, a statement that waited for another transaction's lock still reads with the
snapshot it started with, so a recount in that statement would miss what the other had
just committed. The trigger therefore first locks the cohorts it recounts, in id order,
and recounts in a statement of its own, which reads everything committed before it.
"""

from __future__ import annotations

from digiystava.migrations import raw_sql_per_engine

# The figures of the cohort row being updated, counted from its enrolments, sessions and trainers.
_RECOUNT = """
    enrolled = (SELECT COUNT(*) FROM enrolment e
                WHERE e.cohort = cohort.id AND e.status IN ('enrolled', 'completed')),
    waitlisted = (SELECT COUNT(*) FROM enrolment e WHERE e.cohort = cohort.id AND e.status = 'waitlisted'),
    last_session = (SELECT MAX(s.date) FROM course_session s WHERE s.cohort = cohort.id AND s.cancelled = FALSE),
    trainer_ids = (SELECT {trainers} FROM cohort_trainer t WHERE t.cohort = cohort.id)
"""
_TRAINERS = {"sqlite": 'group_concat(t."user")', "postgres": """string_agg(t."user"::text, ',' ORDER BY t."user")"""}


def recount(engine_type: str) -> str:
    """The SET clause counting a cohort row's figures again on this engine."""
    return _RECOUNT.format(trainers=_TRAINERS[engine_type])


def recount_all(engine_type: str) -> str:
    return f"UPDATE cohort SET {recount(engine_type)}"


# What moves a figure: per table, the columns whose change matters on an update.
WATCHED = {
    "enrolment": ("cohort", "status"),
    "course_session": ("cohort", "date", "cancelled"),
    "cohort_trainer": ("cohort", '"user"'),
}

_PG_FUNCTIONS = [
    f"""
    CREATE FUNCTION recount_cohorts(ids INTEGER[]) RETURNS void LANGUAGE plpgsql AS $$
    BEGIN
        IF coalesce(array_length(ids, 1), 0) = 0 THEN
            RETURN;
        END IF;
        PERFORM 1 FROM cohort WHERE id = ANY(ids) ORDER BY id FOR UPDATE;
        UPDATE cohort SET {recount("postgres")} WHERE id = ANY(ids);
    END $$
    """,
    *[
        f"""
    CREATE FUNCTION recount_cohorts_of_{table}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'INSERT' THEN
            PERFORM recount_cohorts(ARRAY(SELECT DISTINCT cohort FROM new_rows));
        ELSIF TG_OP = 'DELETE' THEN
            PERFORM recount_cohorts(ARRAY(SELECT DISTINCT cohort FROM old_rows));
        ELSE
            PERFORM recount_cohorts(ARRAY(
                SELECT DISTINCT moved.cohort
                FROM new_rows n JOIN old_rows o ON o.id = n.id, LATERAL (VALUES (n.cohort), (o.cohort)) moved (cohort)
                WHERE ({", ".join(f"n.{c}" for c in columns)}) IS DISTINCT FROM ({", ".join(f"o.{c}" for c in columns)})
            ));
        END IF;
        RETURN NULL;
    END $$
    """
        for table, columns in WATCHED.items()
    ],
]

# A transition table per event: PostgreSQL allows them only on single-event triggers.
_PG_REFERENCING = {
    "INSERT": "REFERENCING NEW TABLE AS new_rows",
    "UPDATE": "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
    "DELETE": "REFERENCING OLD TABLE AS old_rows",
}


def _pg_keep() -> list[str]:
    return [
        *_PG_FUNCTIONS,
        *[
            f'CREATE TRIGGER "{table}_recount_{event.lower()}" AFTER {event} ON "{table}" {referencing} '
            f"FOR EACH STATEMENT EXECUTE FUNCTION recount_cohorts_of_{table}()"
            for table in WATCHED
            for event, referencing in _PG_REFERENCING.items()
        ],
        recount_all("postgres"),
    ]


def _sqlite_keep() -> list[str]:
    # SQLite writes one transaction at a time, so a trigger per row simply counts again.
    statements, counted = [], recount("sqlite")
    for table, columns in WATCHED.items():
        statements += [
            f'CREATE TRIGGER "{table}_recount_insert" AFTER INSERT ON "{table}" '
            f"BEGIN UPDATE cohort SET {counted} WHERE id = NEW.cohort; END",
            f'CREATE TRIGGER "{table}_recount_update" AFTER UPDATE OF {", ".join(columns)} ON "{table}" '
            f"BEGIN UPDATE cohort SET {counted} WHERE id IN (OLD.cohort, NEW.cohort); END",
            f'CREATE TRIGGER "{table}_recount_delete" AFTER DELETE ON "{table}" '
            f"BEGIN UPDATE cohort SET {counted} WHERE id = OLD.cohort; END",
        ]
    return [*statements, recount_all("sqlite")]


def _stop(engine_type: str) -> list[str]:
    triggers = [
        f'DROP TRIGGER "{table}_recount_{event}"' + (f' ON "{table}"' if engine_type == "postgres" else "")
        for table in WATCHED
        for event in ("insert", "update", "delete")
    ]
    if engine_type == "postgres":
        triggers += [f"DROP FUNCTION recount_cohorts_of_{table}" for table in WATCHED]
        triggers.append("DROP FUNCTION recount_cohorts")
    return triggers


def keep_figures():
    """A migration step (after the columns exist): triggers that keep them, and a first count."""
    return raw_sql_per_engine(lambda engine_type: _pg_keep() if engine_type == "postgres" else _sqlite_keep())


def stop_keeping_figures():
    return raw_sql_per_engine(_stop)
