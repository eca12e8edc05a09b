"""Error classes for problems a person can act on.

A :class:`CaseGuideError` carries a message written for the person using the
app: what went wrong and what to do. The CLI prints it without a traceback and
exits 1; the window shows it in a dialog. Anything else that escapes is a bug.
"""


class CaseGuideError(Exception):
    """An expected problem, with a message a caseworker or staff member can act on."""


class GuideError(CaseGuideError):
    """A guide file that cannot be used: bad front matter, a missing field, bad encoding."""

    def __init__(self, path, message, line=None):
        self.path = path
        self.line = line
        self.reason = message
        where = f"{path}:{line}" if line else str(path)
        super().__init__(f"{where}: {message}")


class PackError(CaseGuideError):
    """A pack source folder or pack file that cannot be used."""


class UnknownGuideError(CaseGuideError):
    """A guide id that is not in the library."""

    def __init__(self, guide_id, guesses=()):
        from .suggest import did_you_mean

        self.guide_id = guide_id
        self.guesses = list(guesses)
        super().__init__(
            f"no guide with the id {guide_id!r} is in the library; {did_you_mean(self.guesses)}"
            "run 'caseguide list' to see the ids there are"
        )


class StaffOnlyGuideError(CaseGuideError):
    """A guide written for caseworkers, asked for on a shared PC, where visitors are at the keyboard."""

    def __init__(self, guide_id):
        self.guide_id = guide_id
        super().__init__(f"the guide {guide_id!r} is written for caseworkers, so on this shared computer it is "
                         "for staff only; ask a member of staff")
