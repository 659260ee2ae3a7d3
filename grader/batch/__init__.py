"""``grade batch FOLDER``: grade a whole class, one subfolder per student.

The pipeline, one module per step::

    roster ──► keys ──► run (cache, thread pool, progress) ──► ClassResult ──► outputs
    (who handed in what)  (content hashes)                      (grader.classroom)

Reports render the :class:`~grader.classroom.ClassResult`; they decide nothing.
"""
