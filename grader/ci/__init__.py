"""``grade ci``: grade the exercises present in a repository checkout and
write what a CI service reads.

    run.py          find the exercises present, grade each, the worst exit code
    place.py        where in the student's file a failure can be pointed at
    junit.py        JUnit XML: a testsuite per exercise, a testcase per check
    annotations.py  GitHub Actions ``::error`` workflow commands
    summary.py      the Markdown summary (step summary, pull-request comment)
    words.py        the sentences these reports add, in English and Chinese
    command.py      what ``grade ci`` does with all of the above

Data flows one way: run (grades, places) → reports (render only) → command
(writes files and stdout). Importing this package imports nothing heavy.
"""

__all__: list[str] = []
