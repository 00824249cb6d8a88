"""Fault injection: ``python -m bench.faults`` (kill -9 of web workers and of the task worker during
concurrent submissions, a PostgreSQL crash-restart, uploads onto a full disk) and the checks that follow."""
