class ImportRefused(Exception):
    """The whole file was refused; ``problems`` lists every (line, column, message)."""

    def __init__(self, problems):
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s) in the file; nothing was saved.")
